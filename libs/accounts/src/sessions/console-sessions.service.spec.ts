import type { AppConfig } from '@wwb/config';
import type { AppLogger } from '@wwb/observability';
import type { AccountScope } from '@wwb/persistence';
import type { Clock } from '@wwb/runtime';
import type { AccountRepository } from '../account.repository';
import type { UserRepository } from '../users/user.repository';
import type { UserRecord } from '../users/user.schema';
import { ConsoleSessionsService, SESSION_TOUCH_INTERVAL_MS, SessionLookup } from './console-sessions.service';
import type { SessionRepository } from './session.repository';
import type { SessionRecord } from './session.schema';

const HOUR = 3_600_000;
const TTL = 12 * HOUR;

class MemorySessions {
  readonly docs = new Map<string, SessionRecord>();
  touches = 0;
  insert(s: SessionRecord) {
    this.docs.set(s._id, structuredClone(s));
    return Promise.resolve();
  }
  get(id: string) {
    const doc = this.docs.get(id);
    return Promise.resolve(doc ? structuredClone(doc) : null);
  }
  touch(id: string, lastSeenAt: Date, expiresAt: Date) {
    this.touches++;
    const doc = this.docs.get(id);
    if (doc) Object.assign(doc, { lastSeenAt, expiresAt });
    return Promise.resolve();
  }
  remove(id: string) {
    this.docs.delete(id);
    return Promise.resolve();
  }
  removeOfUser(scope: AccountScope, userId: string) {
    for (const [id, s] of this.docs)
      if (s.userId === userId && s.accountId === scope.accountId) this.docs.delete(id);
    return Promise.resolve();
  }
  removeExpiredOfUser(scope: AccountScope, userId: string, now: Date) {
    for (const [id, s] of this.docs)
      if (s.userId === userId && s.accountId === scope.accountId && s.expiresAt <= now) this.docs.delete(id);
    return Promise.resolve();
  }
}

function setup(opts: { cacheMs?: number; adminKey?: string } = {}) {
  const clock = { now: 1_700_000_000_000 };
  const fakeClock = { nowMs: () => clock.now, now: () => new Date(clock.now) } as unknown as Clock;
  const config = (adminApiKey: string) =>
    ({
      console: { sessionTtlMs: TTL },
      auth: { keyCacheTtlMs: opts.cacheMs ?? 5000, adminApiKey },
    }) as AppConfig;
  const sessions = new MemorySessions();
  const users = new Map<string, UserRecord>();
  const accounts = new Map<string, { _id: string; disabled: boolean }>();
  const userRepo = {
    findById: (id: string) => Promise.resolve(users.get(id) ?? null),
  } as unknown as UserRepository;
  const accountRepo = {
    get: (scope: AccountScope) => Promise.resolve(accounts.get(scope.accountId) ?? null),
  } as unknown as AccountRepository;
  const logger = { pino: { warn: () => undefined } } as unknown as AppLogger;
  const make = (adminKey = opts.adminKey ?? 'a'.repeat(40)) =>
    new ConsoleSessionsService(
      config(adminKey),
      sessions as unknown as SessionRepository,
      userRepo,
      accountRepo,
      fakeClock,
      logger,
    );
  const user: UserRecord = {
    _id: 'usr_1',
    accountId: 'acc_1',
    email: 'ana@example.com',
    name: 'Ana',
    role: 'support',
    passwordHash: 'x',
    slotHolderId: 'inv_1',
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  users.set(user._id, user);
  accounts.set('acc_1', { _id: 'acc_1', disabled: false });
  return { clock, sessions, users, accounts, user, make, service: make() };
}

const expiresOf = (found: SessionLookup) => (found.status === 'active' ? found.session.expiresAt : null);

describe('ConsoleSessionsService', () => {
  it('starts a session stored by the hash of its token, with a CSRF token and a 12 h expiry', async () => {
    const { service, sessions, user, clock } = setup();
    const { token, session } = await service.startUser(user);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.docs.has(token)).toBe(false);
    const [stored] = [...sessions.docs.values()];
    expect(stored).toMatchObject({ kind: 'user', userId: 'usr_1', accountId: 'acc_1', role: 'support' });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.expiresAt).toBe(clock.now + TTL);
    expect(await service.lookup(token)).toMatchObject({ status: 'active', session: { userId: 'usr_1' } });
  });

  it('slides the expiry with use, writing it at most once a minute', async () => {
    const { service, sessions, user, clock } = setup();
    const start = clock.now;
    const { token } = await service.startUser(user);
    clock.now += SESSION_TOUCH_INTERVAL_MS - 1;
    expect(await service.lookup(token)).toMatchObject({ status: 'active', extended: false });
    expect(sessions.touches).toBe(0);
    clock.now = start + SESSION_TOUCH_INTERVAL_MS;
    const slid = await service.lookup(token);
    expect(slid).toMatchObject({ status: 'active', extended: true });
    expect(expiresOf(slid)).toBe(clock.now + TTL);
    expect(sessions.touches).toBe(1);
    clock.now += 1000;
    expect(await service.lookup(token)).toMatchObject({ extended: false });
    expect(sessions.touches).toBe(1);
    expect([...sessions.docs.values()][0]!.expiresAt.getTime()).toBe(start + SESSION_TOUCH_INTERVAL_MS + TTL);
  });

  it('ends a session left unused for the lifetime, and deletes it', async () => {
    const { service, sessions, user, clock } = setup();
    const { token } = await service.startUser(user);
    clock.now += TTL - 1;
    expect((await service.lookup(token)).status).toBe('active');
    clock.now += TTL; // the use above slid it: TTL after that use
    expect(await service.lookup(token)).toEqual({ status: 'none' });
    expect(sessions.docs.size).toBe(0);
  });

  it('a session kept in use outlives the first lifetime', async () => {
    const { service, user, clock } = setup();
    const { token } = await service.startUser(user);
    for (let i = 0; i < 30; i++) {
      clock.now += HOUR;
      expect((await service.lookup(token)).status).toBe('active');
    }
  });

  it('ends every session of a user at once (deletion, new role), on this process without waiting for the cache', async () => {
    const { service, user, make } = setup();
    const other = make(); // another API process sharing the store
    const a = await service.startUser(user);
    const b = await service.startUser(user);
    expect((await other.lookup(a.token)).status).toBe('active');
    await service.endUser({ accountId: 'acc_1' }, 'usr_1');
    expect(await service.lookup(a.token)).toEqual({ status: 'none' });
    expect(await service.lookup(b.token)).toEqual({ status: 'none' });
    // The other process notices once its cached copy is older than the cache time.
    expect((await other.lookup(a.token)).status).toBe('active');
  });

  it('the other process sees an ended session within the cache time (at most 5 s)', async () => {
    const { service, user, make, clock } = setup({ cacheMs: 60_000 });
    const other = make();
    const { token } = await service.startUser(user);
    expect((await other.lookup(token)).status).toBe('active');
    await service.end(token);
    clock.now += 5000;
    expect(await other.lookup(token)).toEqual({ status: 'none' });
  });

  it('reads the role from the user, and ends when the user is gone', async () => {
    const { service, users, user, clock } = setup();
    const { token } = await service.startUser(user);
    users.set('usr_1', { ...user, role: 'viewer' });
    clock.now += 5000;
    expect(await service.lookup(token)).toMatchObject({ session: { role: 'viewer' } });
    users.delete('usr_1');
    clock.now += 5000;
    expect(await service.lookup(token)).toEqual({ status: 'none' });
  });

  it('a disabled account ends the session: once account_disabled, then none even when re-enabled', async () => {
    const { service, accounts, user, clock } = setup();
    const { token } = await service.startUser(user);
    accounts.set('acc_1', { _id: 'acc_1', disabled: true });
    clock.now += 5000;
    expect(await service.lookup(token)).toEqual({ status: 'account_disabled' });
    accounts.set('acc_1', { _id: 'acc_1', disabled: false });
    expect(await service.lookup(token)).toEqual({ status: 'none' });
  });

  it('operator sessions end when ADMIN_API_KEY changes', async () => {
    const { service, make } = setup({ adminKey: 'k'.repeat(40) });
    const { token, session } = await service.startOperator();
    expect(session.kind).toBe('operator');
    expect((await make('k'.repeat(40)).lookup(token)).status).toBe('active');
    expect(await make('n'.repeat(40)).lookup(token)).toEqual({ status: 'none' });
  });

  it('ignores tokens of the wrong shape and unknown ones', async () => {
    const { service } = setup();
    expect(await service.lookup('')).toEqual({ status: 'none' });
    expect(await service.lookup('x'.repeat(44))).toEqual({ status: 'none' });
    expect(await service.lookup('A'.repeat(43))).toEqual({ status: 'none' });
    await expect(service.end('A'.repeat(43))).resolves.toBeUndefined();
  });

  it('with the cache off, every lookup reads the store', async () => {
    const { service, sessions, user } = setup({ cacheMs: 0 });
    const { token } = await service.startUser(user);
    expect((await service.lookup(token)).status).toBe('active');
    sessions.docs.clear();
    expect(await service.lookup(token)).toEqual({ status: 'none' });
  });
});
