import pino from 'pino';
import { Principal } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import type { ConnectionView } from '@wwb/connections';
import { AppError } from '@wwb/http';
import { AppLogger } from '@wwb/observability';
import { Clock, IdGenerator } from '@wwb/runtime';
import { ConnectionLookupService } from './connection-lookup.service';
import { IdempotencyRecord } from './idempotency-record.schema';
import { IdempotencyRepository } from './idempotency.repository';
import { MediaStore } from './media.store';
import { MediaUrlFetcher } from './media-url.fetcher';
import { canonicalJson, fingerprintOf, MessageAcceptService } from './message-accept.service';
import { MessageCommandProducer } from './message-command.producer';
import { OutboundMessageRecord } from './outbound-message.schema';
import { OutboundMessageRepository } from './outbound-message.repository';

const principal = new Principal('acc_1', 'key_1');
const CON = 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9';
const body = { to: '+15551234567', type: 'text', text: 'hello' };

describe('MessageAcceptService', () => {
  let log: string[];
  let stored: Map<string, OutboundMessageRecord>;
  let keys: Map<string, IdempotencyRecord>;
  let publishFails: boolean;
  let insertFails: boolean;
  let connection: Partial<ConnectionView>;
  let service: MessageAcceptService;

  beforeEach(() => {
    log = [];
    stored = new Map();
    keys = new Map();
    publishFails = false;
    insertFails = false;
    connection = { id: CON, accountId: 'acc_1', desiredState: 'running', status: 'ready' };
    const messages = {
      insert: async (m: OutboundMessageRecord) => {
        if (insertFails) throw new Error('mongo down');
        log.push(`insert ${m._id}`);
        stored.set(m._id, m);
      },
      find: async (_s: object, _c: string, id: string) => stored.get(id) ?? null,
    } as unknown as OutboundMessageRepository;
    const idempotency = {
      find: async (_s: object, key: string) => keys.get(key) ?? null,
      claim: async (_s: object, key: string, v: Omit<IdempotencyRecord, '_id' | 'accountId'>) => {
        const existing = keys.get(key);
        if (existing) return { claimed: false, existing };
        keys.set(key, { _id: key, accountId: 'acc_1', ...v });
        return { claimed: true };
      },
      release: async (_s: object, key: string) => void keys.delete(key),
    } as unknown as IdempotencyRepository;
    const commands = {
      publishSend: async (m: OutboundMessageRecord) => {
        log.push(`publish ${m._id}`);
        if (publishFails) throw new Error('broker down');
      },
    } as unknown as MessageCommandProducer;
    const connections = {
      get: async () => connection as ConnectionView,
    } as unknown as ConnectionLookupService;
    const config = {
      media: { maxBytes: 1024, allowedMimetypes: ['image/*'], urlAllowPrivateHosts: [], urlTimeoutMs: 1000 },
    } as unknown as AppConfig;
    const clock = {
      now: () => new Date(),
      nowMs: () => Date.now(),
      sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)),
    } as unknown as Clock;
    service = new MessageAcceptService(
      connections,
      messages,
      idempotency,
      {} as MediaStore,
      {} as MediaUrlFetcher,
      commands,
      new IdGenerator(),
      clock,
      config,
      { child: () => pino({ level: 'silent' }) } as unknown as AppLogger,
    );
  });

  it('stores the message (pending) before publishing its command', async () => {
    const res = await service.accept(principal, CON, body);
    expect(res).toEqual({ body: { id: expect.stringMatching(/^msg_/), status: 'queued' }, replayed: false });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual([`insert ${res.body.id}`, `publish ${res.body.id}`]);
    expect(stored.get(res.body.id)).toMatchObject({
      pending: true,
      chatId: '15551234567@c.us',
      content: { type: 'text', text: 'hello' },
    });
  });

  it('still accepts when the publish fails: the message is stored and the sweeper publishes it', async () => {
    publishFails = true;
    const res = await service.accept(principal, CON, body);
    expect(res.body.status).toBe('queued');
    expect(stored.get(res.body.id)?.pending).toBe(true);
  });

  it('Idempotency-Key: same body replays, another body is 422, nothing new is stored', async () => {
    const first = await service.accept(principal, CON, body, 'k1');
    const again = await service.accept(
      principal,
      CON,
      { text: 'hello', type: 'text', to: '+15551234567' },
      'k1',
    );
    expect(again).toEqual({ body: first.body, replayed: true });
    await expect(service.accept(principal, CON, { ...body, text: 'bye' }, 'k1')).rejects.toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
    });
    await expect(service.accept(principal, 'con_other', body, 'k1')).rejects.toMatchObject({ status: 422 });
    expect(stored.size).toBe(1);
  });

  it('refuses stopped and logged-out connections, and bad keys', async () => {
    connection.desiredState = 'stopped';
    await expect(service.accept(principal, CON, body)).rejects.toMatchObject({
      status: 409,
      code: 'connection_stopped',
    });
    connection.desiredState = 'running';
    connection.status = 'logged_out';
    await expect(service.accept(principal, CON, body)).rejects.toMatchObject({
      code: 'connection_logged_out',
    });
    connection.status = 'ready';
    await expect(service.accept(principal, CON, body, '')).rejects.toBeInstanceOf(AppError);
    await expect(service.accept(principal, CON, body, 'a\nb')).rejects.toMatchObject({
      code: 'invalid_idempotency_key',
    });
  });

  it('a failed store gives the Idempotency-Key back, so that the retry succeeds', async () => {
    insertFails = true;
    await expect(service.accept(principal, CON, body, 'k2')).rejects.toThrow('mongo down');
    expect(keys.has('k2')).toBe(false);
    insertFails = false;
    await expect(service.accept(principal, CON, body, 'k2')).resolves.toMatchObject({ replayed: false });
  });

  it('fingerprints ignore key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(fingerprintOf(CON, { a: 1, b: 2 })).toBe(fingerprintOf(CON, { b: 2, a: 1 }));
    expect(fingerprintOf(CON, { a: 1 })).not.toBe(fingerprintOf('con_x', { a: 1 }));
  });
});
