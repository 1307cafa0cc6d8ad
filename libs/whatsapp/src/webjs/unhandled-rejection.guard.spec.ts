import pino from 'pino';
import { GuardedClient, UnhandledRejectionGuard } from './unhandled-rejection.guard';

const client = (id: string, broken: boolean): GuardedClient & { seen: unknown[] } => {
  const seen: unknown[] = [];
  return {
    connectionId: id,
    seen,
    onStrayError: async (err) => {
      seen.push(err);
      return broken;
    },
    killBrowserSync: () => undefined,
  };
};

describe('UnhandledRejectionGuard', () => {
  const logger = pino({ level: 'silent' });

  it('listens to unhandledRejection only while clients are registered', () => {
    const before = process.listenerCount('unhandledRejection');
    const guard = new UnhandledRejectionGuard(logger);
    const a = client('a', false);
    guard.register(a);
    guard.register(client('b', false));
    expect(process.listenerCount('unhandledRejection')).toBe(before + 1);
    guard.unregister(a);
    expect(process.listenerCount('unhandledRejection')).toBe(before + 1);
    guard.unregister([...(guard as unknown as { clients: Set<GuardedClient> }).clients][0]!);
    expect(process.listenerCount('unhandledRejection')).toBe(before);
  });

  it('hands browser errors to every client to check itself; ignores others', async () => {
    const guard = new UnhandledRejectionGuard(logger);
    const healthy = client('ok', false);
    const broken = client('broken', true);
    guard.register(healthy);
    guard.register(broken);
    const err = new Error('Protocol error (Runtime.callFunctionOn): Session closed.');
    guard.handle(err);
    guard.handle(new Error('a bug elsewhere'));
    await new Promise((r) => setImmediate(r));
    expect(healthy.seen).toEqual([err]);
    expect(broken.seen).toEqual([err]);
    guard.unregister(healthy);
    guard.unregister(broken);
  });
});
