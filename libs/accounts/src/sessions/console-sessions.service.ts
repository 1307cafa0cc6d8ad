import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { AccountScope, scopeOf } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { AccountRepository } from '../account.repository';
import type { UserRole } from '../auth/role.policy';
import { UserRepository } from '../users/user.repository';
import type { UserRecord } from '../users/user.schema';
import { SessionRepository } from './session.repository';
import type { SessionRecord } from './session.schema';
import { hashToken, looksLikeToken, newToken } from './session-token.policy';

/** The sliding expiry is written at most this often per session. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
/** Sessions are cached in-process at most this long (FerretDB scans tables: no lookup per request). */
export const SESSION_CACHE_MAX_MS = 5_000;
const MAX_CACHED_SESSIONS = 10_000;

export interface UserSession {
  kind: 'user';
  /** sha256 of the token. */
  id: string;
  userId: string;
  accountId: string;
  email: string;
  name: string;
  /** The user's current role. */
  role: UserRole;
  csrfToken: string;
  expiresAt: number;
}

export interface OperatorSession {
  kind: 'operator';
  id: string;
  csrfToken: string;
  expiresAt: number;
}

export type ActiveSession = UserSession | OperatorSession;

export type SessionLookup =
  | {
      status: 'active';
      session: ActiveSession;
      /** The expiry moved: send the cookie again. */ extended: boolean;
    }
  | { status: 'account_disabled' }
  | { status: 'none' };

export interface StartedSession<S extends ActiveSession = ActiveSession> {
  /** The cookie value: returned to the browser once, never stored. */
  token: string;
  session: S;
}

interface CachedSession {
  session: ActiveSession;
  lastSeenAt: number;
  accountDisabled: boolean;
  cachedUntil: number;
}

const NONE: SessionLookup = { status: 'none' };

/**
 * Console sessions: started at sign-in, looked up on every request that carries the cookie.
 * A session lives CONSOLE_SESSION_TTL_HOURS past its last use (the expiry slides, written at most
 * once a minute). It ends on sign-out, when its user is deleted or changes role (endUser), when
 * the user or account is gone, when the account is disabled (at its next use), and for operator
 * sessions when ADMIN_API_KEY changes. Lookups are cached in this process for up to
 * min(API_KEY_CACHE_TTL_MS, 5 s): what another process ends shows here within that time.
 */
@Injectable()
export class ConsoleSessionsService {
  private readonly ttlMs: number;
  private readonly cacheMs: number;
  /** Ties operator sessions to the ADMIN_API_KEY they were opened with: rotating the key ends them. */
  private readonly operatorKeyTag: string;
  private readonly cache = new Map<string, CachedSession>();
  private readonly loading = new Map<string, Promise<CachedSession | undefined>>();
  /** Bumped by every invalidation, so that a lookup racing with it does not cache stale data. */
  private generation = 0;

  constructor(
    config: AppConfig,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {
    this.ttlMs = config.console.sessionTtlMs;
    this.cacheMs = Math.min(config.auth.keyCacheTtlMs, SESSION_CACHE_MAX_MS);
    this.operatorKeyTag = hashToken(`console-operator:${config.auth.adminApiKey}`);
  }

  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  async startUser(user: UserRecord): Promise<StartedSession<UserSession>> {
    const scope = scopeOf(user.accountId);
    const record = this.newRecord({
      kind: 'user',
      accountId: user.accountId,
      userId: user._id,
      role: user.role,
    });
    // Housekeeping: nothing else deletes the sessions a user left to expire.
    await this.sessions.removeExpiredOfUser(scope, user._id, record.createdAt);
    await this.sessions.insert(record.doc);
    const session: UserSession = {
      kind: 'user',
      id: record.doc._id,
      userId: user._id,
      accountId: user.accountId,
      email: user.email,
      name: user.name,
      role: user.role,
      csrfToken: record.doc.csrfToken,
      expiresAt: record.doc.expiresAt.getTime(),
    };
    this.remember(session, record.createdAt.getTime(), false);
    return { token: record.token, session };
  }

  async startOperator(): Promise<StartedSession<OperatorSession>> {
    const record = this.newRecord({ kind: 'operator', operatorKeyTag: this.operatorKeyTag });
    await this.sessions.insert(record.doc);
    const session: OperatorSession = {
      kind: 'operator',
      id: record.doc._id,
      csrfToken: record.doc.csrfToken,
      expiresAt: record.doc.expiresAt.getTime(),
    };
    this.remember(session, record.createdAt.getTime(), false);
    return { token: record.token, session };
  }

  /** The live session of a cookie token, its expiry extended by this use. */
  async lookup(token: string): Promise<SessionLookup> {
    if (!looksLikeToken(token)) return NONE;
    const id = hashToken(token);
    const now = this.clock.nowMs();
    let entry = this.cache.get(id);
    if (!entry || entry.cachedUntil <= now || entry.session.expiresAt <= now) {
      entry = await this.loadOnce(id, now);
    }
    if (!entry) return NONE;
    if (entry.session.expiresAt <= now) {
      await this.drop(id);
      return NONE;
    }
    if (entry.accountDisabled) {
      await this.drop(id);
      return { status: 'account_disabled' };
    }
    const extended = this.slide(id, entry, now);
    return { status: 'active', session: entry.session, extended };
  }

  /** Sign-out: the session of this token ends (nothing happens for an unknown token). */
  async end(token: string): Promise<void> {
    if (looksLikeToken(token)) await this.drop(hashToken(token));
  }

  /** Ends every session of a user at once (deleted, or its role changed). */
  async endUser(scope: AccountScope, userId: string): Promise<void> {
    this.invalidate((s) => s.kind === 'user' && s.userId === userId);
    await this.sessions.removeOfUser(scope, userId);
    // A lookup that read the session before the delete must not cache it again.
    this.invalidate((s) => s.kind === 'user' && s.userId === userId);
  }

  private newRecord(
    fields: Pick<SessionRecord, 'kind' | 'accountId' | 'userId' | 'role' | 'operatorKeyTag'>,
  ): {
    token: string;
    doc: SessionRecord;
    createdAt: Date;
  } {
    const token = newToken();
    const createdAt = this.clock.now();
    const doc: SessionRecord = {
      _id: hashToken(token),
      ...fields,
      csrfToken: newToken(),
      createdAt,
      lastSeenAt: createdAt,
      expiresAt: new Date(createdAt.getTime() + this.ttlMs),
    };
    for (const key of ['accountId', 'userId', 'role', 'operatorKeyTag'] as const) {
      if (doc[key] === undefined) delete doc[key];
    }
    return { token, doc, createdAt };
  }

  private loadOnce(id: string, now: number): Promise<CachedSession | undefined> {
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id, now).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  private async load(id: string, now: number): Promise<CachedSession | undefined> {
    const generation = this.generation;
    const record = await this.sessions.get(id);
    if (!record) return undefined;
    const resolved = await this.resolve(record);
    if (!resolved) {
      await this.sessions.remove(id);
      return undefined;
    }
    const entry: CachedSession = {
      session: resolved.session,
      lastSeenAt: record.lastSeenAt.getTime(),
      accountDisabled: resolved.accountDisabled,
      cachedUntil: now + this.cacheMs,
    };
    if (generation === this.generation) this.store(id, entry);
    return entry;
  }

  /** The session as requests see it, or undefined when what it stood for is gone. */
  private async resolve(
    record: SessionRecord,
  ): Promise<{ session: ActiveSession; accountDisabled: boolean } | undefined> {
    const base = { id: record._id, csrfToken: record.csrfToken, expiresAt: record.expiresAt.getTime() };
    if (record.kind === 'operator') {
      return record.operatorKeyTag === this.operatorKeyTag
        ? { session: { kind: 'operator', ...base }, accountDisabled: false }
        : undefined;
    }
    if (!record.userId || !record.accountId) return undefined;
    const [user, account] = await Promise.all([
      this.users.findById(record.userId),
      this.accounts.get(scopeOf(record.accountId)),
    ]);
    if (!user || !account || user.accountId !== record.accountId) return undefined;
    const session: UserSession = {
      kind: 'user',
      ...base,
      userId: user._id,
      accountId: user.accountId,
      email: user.email,
      name: user.name,
      role: user.role,
    };
    return { session, accountDisabled: account.disabled };
  }

  /** Extends the expiry from now when the last write is a minute old; true when it did. */
  private slide(id: string, entry: CachedSession, now: number): boolean {
    if (now - entry.lastSeenAt < SESSION_TOUCH_INTERVAL_MS) return false;
    const expiresAt = now + this.ttlMs;
    entry.lastSeenAt = now;
    entry.session = { ...entry.session, expiresAt };
    this.sessions.touch(id, new Date(now), new Date(expiresAt)).catch((err: unknown) => {
      this.logger.pino.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'could not extend a console session',
      );
    });
    return true;
  }

  private remember(session: ActiveSession, lastSeenAt: number, accountDisabled: boolean): void {
    this.store(session.id, { session, lastSeenAt, accountDisabled, cachedUntil: lastSeenAt + this.cacheMs });
  }

  private store(id: string, entry: CachedSession): void {
    if (this.cacheMs <= 0) return;
    if (this.cache.size >= MAX_CACHED_SESSIONS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(id, entry);
  }

  private invalidate(which: (s: ActiveSession) => boolean): void {
    this.generation++;
    this.loading.clear();
    for (const [id, entry] of this.cache) if (which(entry.session)) this.cache.delete(id);
  }

  private async drop(id: string): Promise<void> {
    this.invalidate((s) => s.id === id);
    await this.sessions.remove(id);
  }
}
