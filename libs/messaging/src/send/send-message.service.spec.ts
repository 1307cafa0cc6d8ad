import pino from 'pino';
import { AppConfig } from '@wwb/config';
import type { ConnectionView } from '@wwb/connections';
import { AppLogger } from '@wwb/observability';
import { scopeOf } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { ConnectionLookupService } from './connection-lookup.service';
import { IdempotencyRecord } from './idempotency-record.schema';
import { IdempotencyRepository } from './idempotency.repository';
import { MediaStore } from '../media';
import { MediaUrlFetcher } from './media-url.fetcher';
import { canonicalJson, fingerprintOf, SendMessageCommand, SendMessageUseCase } from './send-message.service';
import { MessageCommandProducer } from './message-command.producer';
import { OutboundMessageRecord, OutboundMessageRepository } from '../outbound';
import { SendQuota, SendQuotaService } from './send-quota.service';
import type { QuotaSlotRepository, TakeSlot, UsageCounterRepository } from '@wwb/infrastructure';

/** Quota slots in memory, with the property that matters: at most `limit` numbered slots per account and resource. */
class MemorySlots {
  readonly held = new Map<string, string>();
  async take(req: TakeSlot): Promise<string | null> {
    for (let i = 0; req.limit === null || i < req.limit; i++) {
      const id = `${req.accountId}/${req.resource}/n${i}`;
      if (!this.held.has(id)) {
        this.held.set(id, req.holderId);
        return id;
      }
    }
    return null;
  }
  async takeUncapped(req: Omit<TakeSlot, 'limit'>): Promise<string> {
    const id = `${req.accountId}/${req.resource}/h-${req.holderId}`;
    this.held.set(id, req.holderId);
    return id;
  }
  async release(id: string, holderId: string): Promise<void> {
    if (this.held.get(id) === holderId) this.held.delete(id);
  }
}

const quota = (over: Partial<SendQuota> = {}): SendQuota => ({
  plan: 'starter',
  pendingMessages: 2,
  mediaFetches: 1,
  mediaBytes: 100,
  ...over,
});

const scope = scopeOf('acc_1');
const CON = 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9';
const body = { to: '+15551234567', type: 'text', text: 'hello' };
const cmd = (over: Partial<SendMessageCommand> = {}): SendMessageCommand => ({
  connectionId: CON,
  message: body,
  ...over,
});

describe('SendMessageUseCase', () => {
  let log: string[];
  let stored: Map<string, OutboundMessageRecord>;
  let keys: Map<string, IdempotencyRecord>;
  let publishFails: boolean;
  let insertFails: boolean;
  let connection: Partial<ConnectionView>;
  let service: SendMessageUseCase;
  let missing: boolean;
  let slots: MemorySlots;
  let storedBytes: number;
  let saved: number;
  let atLimit: boolean;
  const heldBy = (accountId: string): string[] =>
    [...stored.values()].filter((m) => m.accountId === accountId && m.heldSlot).map((m) => m.heldSlot!);

  beforeEach(() => {
    log = [];
    stored = new Map();
    keys = new Map();
    publishFails = false;
    insertFails = false;
    missing = false;
    slots = new MemorySlots();
    storedBytes = 0;
    saved = 0;
    atLimit = false;
    connection = { id: CON, accountId: 'acc_1', desiredState: 'running', status: 'ready' };
    // The held slot's one property that matters here: at most `limit` messages of an account hold one.
    const messages = {
      insertHolding: async (m: OutboundMessageRecord, limit: number | null) => {
        if (insertFails) throw new Error('mongo down');
        const held = heldBy(m.accountId).filter((h) => !h.includes('/h-'));
        if (limit !== null && held.length >= limit) return false;
        const free = [...Array(held.length + 1).keys()].find((i) => !held.includes(`${m.accountId}/n${i}`));
        log.push(`insert ${m._id}`);
        stored.set(m._id, {
          ...m,
          heldSlot: limit === null ? `${m.accountId}/h-${m._id}` : `${m.accountId}/n${free}`,
        });
        return true;
      },
      atLimit: () => atLimit,
      findById: async (id: string) => stored.get(id) ?? null,
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
      get: async () => {
        if (missing) throw DomainError.notFound('Connection');
        return connection as ConnectionView;
      },
    } as unknown as ConnectionLookupService;
    const config = {
      media: { maxBytes: 1024, allowedMimetypes: ['image/*'], urlAllowPrivateHosts: [], urlTimeoutMs: 1000 },
    } as unknown as AppConfig;
    const clock = {
      now: () => new Date(),
      nowMs: () => Date.now(),
      sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)),
    } as unknown as Clock;
    const media = {
      save: async (_s: object, m: { data: Buffer; mimetype: string }) => {
        saved += 1;
        storedBytes += m.data.length;
        return { uploadId: `upl_${saved}`, mimetype: m.mimetype, size: m.data.length, createdAt: new Date() };
      },
    } as unknown as MediaStore;
    const counters = { get: async () => storedBytes } as unknown as UsageCounterRepository;
    service = new SendMessageUseCase(
      connections,
      messages,
      idempotency,
      media,
      {} as MediaUrlFetcher,
      commands,
      new IdGenerator(),
      clock,
      new SendQuotaService(slots as unknown as QuotaSlotRepository, counters, config),
      config,
      { child: () => pino({ level: 'silent' }) } as unknown as AppLogger,
    );
  });

  it('stores the message (pending) before publishing its command', async () => {
    const res = await service.execute(scope, cmd());
    expect(res).toEqual({ id: expect.stringMatching(/^msg_/), status: 'queued', replayed: false });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual([`insert ${res.id}`, `publish ${res.id}`]);
    expect(stored.get(res.id)).toMatchObject({
      pending: true,
      chatId: '15551234567@c.us',
      content: { type: 'text', text: 'hello' },
      origin: { source: 'api' },
    });
  });

  it('still accepts when the publish fails: the message is stored and the sweeper publishes it', async () => {
    publishFails = true;
    const res = await service.execute(scope, cmd());
    expect(res.status).toBe('queued');
    expect(stored.get(res.id)?.pending).toBe(true);
  });

  it('Idempotency-Key: same body replays, another body is 422, nothing new is stored', async () => {
    const first = await service.execute(scope, cmd({ idempotencyKey: 'k1' }));
    const again = await service.execute(
      scope,
      cmd({ message: { text: 'hello', type: 'text', to: '+15551234567' }, idempotencyKey: 'k1' }),
    );
    expect(again).toEqual({ ...first, replayed: true });
    await expect(
      service.execute(scope, cmd({ message: { ...body, text: 'bye' }, idempotencyKey: 'k1' })),
    ).rejects.toMatchObject({ kind: 'rejected', code: 'idempotency_key_reused' });
    await expect(
      service.execute(scope, cmd({ connectionId: 'con_other', idempotencyKey: 'k1' })),
    ).rejects.toMatchObject({ kind: 'rejected' });
    expect(stored.size).toBe(1);
  });

  it('throws domain errors a transport maps: kinds and codes', async () => {
    missing = true;
    await expect(service.execute(scope, cmd())).rejects.toMatchObject({
      kind: 'not_found',
      code: 'not_found',
    });
    missing = false;
    connection.desiredState = 'stopped';
    await expect(service.execute(scope, cmd())).rejects.toMatchObject({
      kind: 'conflict',
      code: 'connection_stopped',
    });
    connection.desiredState = 'running';
    connection.status = 'logged_out';
    await expect(service.execute(scope, cmd())).rejects.toMatchObject({
      kind: 'conflict',
      code: 'connection_logged_out',
    });
    connection.status = 'ready';
    await expect(service.execute(scope, cmd({ idempotencyKey: '' }))).rejects.toBeInstanceOf(DomainError);
    await expect(service.execute(scope, cmd({ idempotencyKey: 'a\nb' }))).rejects.toMatchObject({
      kind: 'invalid',
      code: 'invalid_idempotency_key',
    });
    await expect(
      service.execute(scope, cmd({ message: { to: 'nobody', type: 'text' } })),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_recipient' });
    await expect(service.execute(scope, cmd({ message: { ...body, text: '' } }))).rejects.toMatchObject({
      kind: 'invalid',
      code: 'text_required',
    });
    await expect(service.execute(scope, cmd({ origin: { source: 'robot' as 'api' } }))).rejects.toMatchObject(
      { kind: 'invalid', code: 'invalid_origin' },
    );
    await expect(
      service.execute(scope, cmd({ origin: { source: 'auto_reply', ruleId: '' } })),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_origin' });
    expect(stored.size).toBe(0);
  });

  it('stores the origin of an automated send (and nothing but its known fields)', async () => {
    const origin = { source: 'auto_reply', ruleId: 'rule_1', triggerEventId: 'evt_1', extra: 'x' };
    const res = await service.execute(
      scope,
      cmd({ origin: origin as SendMessageCommand['origin'], idempotencyKey: 'auto:evt_1:rule_1' }),
    );
    expect(stored.get(res.id)?.origin).toEqual({
      source: 'auto_reply',
      ruleId: 'rule_1',
      triggerEventId: 'evt_1',
    });
  });

  it('a failed store gives the Idempotency-Key back, so that the retry succeeds', async () => {
    insertFails = true;
    await expect(service.execute(scope, cmd({ idempotencyKey: 'k2' }))).rejects.toThrow('mongo down');
    expect(keys.has('k2')).toBe(false);
    insertFails = false;
    await expect(service.execute(scope, cmd({ idempotencyKey: 'k2' }))).resolves.toMatchObject({
      replayed: false,
    });
  });

  it('one claim per new message (no lookup first); a replay still answers after the connection stopped', async () => {
    const first = await service.execute(scope, cmd({ idempotencyKey: 'k3' }));
    connection.desiredState = 'stopped';
    await expect(service.execute(scope, cmd({ idempotencyKey: 'k3' }))).resolves.toEqual({
      ...first,
      replayed: true,
    });
    // A refused request gives its key back: nothing is stored, the key is free again.
    await expect(service.execute(scope, cmd({ idempotencyKey: 'k4' }))).rejects.toMatchObject({
      code: 'connection_stopped',
    });
    expect(keys.has('k4')).toBe(false);
    connection.desiredState = 'running';
    await expect(service.execute(scope, cmd({ idempotencyKey: 'k4' }))).resolves.toMatchObject({
      replayed: false,
    });
  });

  it('a duplicate waiting for a request that then fails runs anew instead of timing out', async () => {
    // The claim of a request in progress (same body), given back shortly when it fails.
    keys.set('k5', {
      _id: 'k5',
      accountId: 'acc_1',
      messageId: 'msg_gone',
      fingerprint: fingerprintOf(CON, body),
      createdAt: new Date(),
    });
    setTimeout(() => keys.delete('k5'), 60);
    const result = await service.execute(scope, cmd({ idempotencyKey: 'k5' }));
    expect(result.replayed).toBe(false);
    expect(stored.has(result.id)).toBe(true);
    expect(keys.get('k5')?.messageId).toBe(result.id);
  });

  it('a stale claim whose message was never stored (its request died) is taken over, not waited on', async () => {
    const messageId = 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
    keys.set('k6', {
      _id: 'k6',
      accountId: 'acc_1',
      messageId,
      fingerprint: fingerprintOf(CON, body),
      createdAt: new Date(Date.now() - 60_000),
    });
    const started = Date.now();
    const result = await service.execute(scope, cmd({ idempotencyKey: 'k6', messageId }));
    expect(result).toEqual({ id: messageId, status: 'queued', replayed: false });
    expect(stored.has(messageId)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('pending messages: at the plan limit 429 too_many_pending_messages; a settled message frees its slot', async () => {
    const first = await service.execute(scope, cmd({ quota: quota() }));
    await service.execute(scope, cmd({ quota: quota() }));
    const refused = service.execute(scope, cmd({ quota: quota(), idempotencyKey: 'k9' }));
    await expect(refused).rejects.toMatchObject({
      kind: 'limit_reached',
      code: 'too_many_pending_messages',
      details: { resource: 'pendingMessages', plan: 'starter', limit: 2, retryAfterSeconds: 5 },
    });
    expect(stored.size).toBe(2);
    expect(keys.has('k9')).toBe(false);
    // The message holds its slot itself; settling it (the gateway) gives the slot back.
    expect(stored.get(first.id)!.heldSlot).toMatch(/^acc_1\/n[01]$/);
    delete stored.get(first.id)!.heldSlot;
    await expect(service.execute(scope, cmd({ quota: quota() }))).resolves.toMatchObject({
      status: 'queued',
    });
  });

  it('without a quota (automated replies) pending messages are counted but never refused', async () => {
    for (let i = 0; i < 5; i++) await service.execute(scope, cmd({ origin: { source: 'auto_reply' } }));
    expect(heldBy('acc_1')).toEqual([...stored.keys()].map((id) => `acc_1/h-${id}`));
    expect(heldBy('acc_1')).toHaveLength(5);
  });

  it('while the process knows the account at its limit, a send is refused before its media is handled', async () => {
    atLimit = true;
    const image = { to: '+15551234567', type: 'image', media: { base64: 'AQID', mimetype: 'image/png' } };
    await expect(service.execute(scope, cmd({ message: image, quota: quota() }))).rejects.toMatchObject({
      code: 'too_many_pending_messages',
    });
    expect(saved).toBe(0);
    // Automated replies are never refused.
    await expect(service.execute(scope, cmd({ message: image }))).resolves.toBeDefined();
  });

  it('a message that is not stored holds no slot', async () => {
    insertFails = true;
    await expect(service.execute(scope, cmd({ quota: quota({ pendingMessages: 1 }) }))).rejects.toThrow(
      'mongo down',
    );
    expect(heldBy('acc_1')).toHaveLength(0);
    insertFails = false;
    await expect(
      service.execute(scope, cmd({ quota: quota({ pendingMessages: 1 }) })),
    ).resolves.toBeDefined();
  });

  it('stored media bytes: 403 plan_limit_exceeded before anything is stored, when the bytes would pass mediaBytes', async () => {
    const image = (n: number) => ({
      to: '+15551234567',
      type: 'image',
      media: { base64: Buffer.alloc(n, 1).toString('base64'), mimetype: 'image/png' },
    });
    await service.execute(scope, cmd({ message: image(60), quota: quota() }));
    expect(storedBytes).toBe(60);
    await expect(service.execute(scope, cmd({ message: image(41), quota: quota() }))).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'plan_limit_exceeded',
      details: { resource: 'mediaBytes', limit: 100, used: 60, size: 41 },
    });
    expect(saved).toBe(1);
    expect(heldBy('acc_1')).toHaveLength(1);
    await service.execute(scope, cmd({ message: image(40), quota: quota() }));
    expect(storedBytes).toBe(100);
  });

  it('fingerprints ignore key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(fingerprintOf(CON, { a: 1, b: 2 })).toBe(fingerprintOf(CON, { b: 2, a: 1 }));
    expect(fingerprintOf(CON, { a: 1 })).not.toBe(fingerprintOf('con_x', { a: 1 }));
  });
});
