import pino from 'pino';
import type { AppConfig } from '@wwb/config';
import type { ConnectionRepository, GatewayReplyRepository, PlacementRecord } from '@wwb/connections';
import type { EventEnvelope, GatewayReply } from '@wwb/contracts';
import { PermanentError } from '@wwb/kafka';
import type { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { MemorySessionStore, SimulatorDriver, WhatsAppDriver } from '@wwb/whatsapp';
import { ConnectionCommandHandlers } from './connection-command.handlers';
import type { ConnectionSupervisor } from './connection.supervisor';
import { OfflineDriver } from './offline.driver';

const logger = pino({ level: 'silent' });
const NOW = Date.parse('2026-12-01T10:00:00Z');

class FixedClock extends Clock {
  override nowMs(): number {
    return NOW;
  }
  override now(): Date {
    return new Date(NOW);
  }
}

function setup(placement: Partial<PlacementRecord> | null, driver?: WhatsAppDriver) {
  const calls: string[] = [];
  const replies: GatewayReply[] = [];
  const supervisor = {
    start: async () => void calls.push('start'),
    stop: async (_id: string, reason: string) => void calls.push(`stop:${reason}`),
    restart: async () => (calls.push('restart'), 'restarted' as const),
    logout: async () => (calls.push('logout'), 'logged_out' as const),
    delete: async () => void calls.push('delete'),
    session: async (connectionId: string, accountId: string) => ({
      connectionId,
      accountId,
      driver: driver ?? new OfflineDriver(connectionId, 'simulator', 'stopped', logger),
    }),
  };
  const connections = {
    placement: async () =>
      placement && {
        _id: 'con_1',
        accountId: 'acc_1',
        driver: 'simulator',
        desiredState: 'running',
        desiredAt: new Date(NOW - 60_000),
        ...placement,
      },
  };
  const handlers = new ConnectionCommandHandlers(
    supervisor as unknown as ConnectionSupervisor,
    connections as unknown as ConnectionRepository,
    { put: async (r: GatewayReply) => (replies.push(r), true) } as unknown as GatewayReplyRepository,
    new FixedClock(),
    { gateway: { replyTimeoutMs: 10_000 } } as AppConfig,
    { child: () => logger } as unknown as AppLogger,
  );
  return { handlers, calls, replies };
}

const command = (type: string, data: object = {}, ageMs = 1000): EventEnvelope => ({
  id: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
  type,
  version: 1,
  occurredAt: new Date(NOW - ageMs).toISOString(),
  accountId: 'acc_1',
  connectionId: 'con_1',
  data,
});

describe('ConnectionCommandHandlers', () => {
  it('carries out lifecycle commands that match the desired state', async () => {
    for (const [type, desiredState, call] of [
      ['gateway.connection.start', 'running', 'start'],
      ['gateway.connection.stop', 'stopped', 'stop:stopped'],
      ['gateway.connection.restart', 'running', 'restart'],
      ['gateway.connection.logout', 'stopped', 'logout'],
      ['gateway.connection.delete', 'deleted', 'delete'],
    ] as const) {
      const { handlers, calls } = setup({ desiredState });
      expect(await handlers.handle(command(type))).toBe(true);
      expect(calls).toEqual([call]);
    }
  });

  it('skips outdated commands: start or restart of a stopped or deleted connection, logout before a restart', async () => {
    for (const [type, placement] of [
      ['gateway.connection.start', { desiredState: 'deleted' }],
      ['gateway.connection.start', null],
      ['gateway.connection.restart', { desiredState: 'stopped' }],
      ['gateway.connection.stop', { desiredState: 'running' }],
      ['gateway.connection.logout', { desiredState: 'deleted' }],
      ['gateway.connection.logout', { desiredState: 'running', desiredAt: new Date(NOW) }],
      ['gateway.connection.delete', { desiredState: 'running' }],
    ] as const) {
      const { handlers, calls } = setup(placement);
      expect(await handlers.handle(command(type))).toBe(true);
      expect({ type, calls }).toEqual({ type, calls: [] });
    }
  });

  it('refuses a command of another account as permanent', async () => {
    const { handlers } = setup({ accountId: 'acc_other' });
    await expect(handlers.handle(command('gateway.connection.start'))).rejects.toBeInstanceOf(PermanentError);
  });

  it('answers requests through gateway_replies, with the refusal code when the driver refuses', async () => {
    const { handlers, replies } = setup({});
    await handlers.handle(
      command('gateway.pairing_code.request', { requestId: 'req_1', phoneNumber: '15551234567' }),
    );
    expect(replies).toEqual([
      expect.objectContaining({
        requestId: 'req_1',
        accountId: 'acc_1',
        connectionId: 'con_1',
        ok: false,
        error: { code: 'not_ready', message: expect.stringContaining('not running') },
      }),
    ]);
  });

  it('simulator controls: refused on other drivers; carried out on a running simulator', async () => {
    const webjs = setup({}, new OfflineDriver('con_1', 'webjs', 'x', logger));
    await webjs.handlers.handle(command('gateway.simulator.scan', { requestId: 'req_2' }));
    expect(webjs.replies[0]!.error?.code).toBe('not_a_simulator_connection');

    const sim = new SimulatorDriver({
      connectionId: 'con_1',
      logger,
      sessionStore: new MemorySessionStore(),
      startDelayMs: 1,
    });
    await sim.start();
    await sim.waitForStatus('qr');
    const running = setup({}, sim);
    await running.handlers.handle(
      command('gateway.simulator.scan', { requestId: 'req_3', phoneNumber: '15550001111' }),
    );
    expect(running.replies[0]).toMatchObject({ ok: true, result: { phoneNumber: '15550001111' } });
    await running.handlers.handle(
      command('gateway.simulator.inbound', {
        requestId: 'req_4',
        message: { from: '+15557654321', text: 'hi' },
      }),
    );
    expect(running.replies[1]).toMatchObject({ ok: true, result: { chatId: '15557654321@c.us' } });
    await running.handlers.handle(
      command('gateway.simulator.ack', { requestId: 'req_5', waMessageId: 'x', status: 'bogus' }),
    );
    expect(running.replies[2]).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const created: unknown[] = [];
    sim.on('message.created', (m) => void created.push(m));
    await running.handlers.handle(
      command('gateway.simulator.phone_message', { requestId: 'req_5b', to: '+15557654321', text: 'hi' }),
    );
    expect(running.replies[3]).toMatchObject({ ok: true, result: { chatId: '15557654321@c.us' } });
    expect(created).toEqual([
      expect.objectContaining({
        id: (running.replies[3]!.result as { waMessageId: string }).waMessageId,
        fromMe: true,
        body: 'hi',
      }),
    ]);
    await running.handlers.handle(
      command('gateway.simulator.phone_message', { requestId: 'req_5c', to: '+15557654321' }),
    );
    expect(running.replies[4]).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await sim.stop();
  });

  it('drops a request nobody waits for any more, and a request without requestId as permanent', async () => {
    const { handlers, replies } = setup({});
    await handlers.handle(command('gateway.contact.check', { requestId: 'req_6', phone: '1555' }, 60_000));
    expect(replies).toEqual([]);
    await expect(handlers.handle(command('gateway.contact.check', { phone: '1555' }))).rejects.toBeInstanceOf(
      PermanentError,
    );
  });

  it('leaves other commands to the registry', async () => {
    const { handlers } = setup({});
    expect(await handlers.handle(command('gateway.message.send'))).toBe(false);
  });
});
