import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import { AppLogger } from '@wwb/observability';
import { scopeOf } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { AccountRepository } from '../account.repository';
import { hashApiKey, looksLikeApiKey } from './api-key.generator';
import { ApiKeyRepository } from './api-key.repository';
import { Principal } from '../auth/principal.model';

interface CachedKey {
  principal: Principal;
  accountDisabled: boolean;
  expiresAt: number;
}

const MAX_CACHED_KEYS = 10_000;
/** lastUsedAt is written at most this often per key. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export const invalidApiKey = () => new AppError(401, 'invalid_api_key', 'The API key is unknown or revoked');

/**
 * Verifies API keys. A verified key is cached in this process for API_KEY_CACHE_TTL_MS;
 * revoking a key or changing an account on this process drops its entries at once (other API
 * processes notice within the TTL). lastUsedAt is written at most once a minute per key and
 * process, without holding up the request.
 */
@Injectable()
export class ApiKeyAuthService {
  private readonly cache = new Map<string, CachedKey>();
  private readonly hashByKeyId = new Map<string, string>();
  private readonly lastWrite = new Map<string, number>();
  /** One lookup per key at a time: requests arriving while it runs share it (no herd at expiry). */
  private readonly loading = new Map<string, Promise<CachedKey>>();
  /** Bumped by every invalidation, so that a lookup racing with it does not cache stale data. */
  private generation = 0;
  private readonly ttlMs: number;

  constructor(
    config: AppConfig,
    private readonly keys: ApiKeyRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {
    this.ttlMs = config.auth.keyCacheTtlMs;
  }

  async authenticate(presented: string): Promise<Principal> {
    if (!looksLikeApiKey(presented)) throw invalidApiKey();
    const hash = hashApiKey(presented);
    const now = this.clock.nowMs();
    let entry = this.cache.get(hash);
    if (!entry || entry.expiresAt <= now) entry = await this.loadOnce(hash, now);
    if (entry.accountDisabled) throw new AppError(403, 'account_disabled', 'This account is disabled');
    this.noteUse(entry.principal, now);
    return entry.principal;
  }

  invalidateKey(apiKeyId: string): void {
    this.generation++;
    this.loading.clear();
    const hash = this.hashByKeyId.get(apiKeyId);
    if (hash) this.cache.delete(hash);
    this.hashByKeyId.delete(apiKeyId);
    this.lastWrite.delete(apiKeyId);
  }

  invalidateAccount(accountId: string): void {
    this.generation++;
    this.loading.clear();
    for (const [hash, entry] of this.cache) {
      if (entry.principal.accountId === accountId) {
        this.cache.delete(hash);
        this.hashByKeyId.delete(entry.principal.apiKeyId);
      }
    }
  }

  private loadOnce(hash: string, now: number): Promise<CachedKey> {
    let pending = this.loading.get(hash);
    if (!pending) {
      pending = this.load(hash, now).finally(() => this.loading.delete(hash));
      this.loading.set(hash, pending);
    }
    return pending;
  }

  private async load(hash: string, now: number): Promise<CachedKey> {
    const generation = this.generation;
    const key = await this.keys.findActiveByHash(hash);
    if (!key) throw invalidApiKey();
    const account = await this.accounts.get(scopeOf(key.accountId));
    if (!account) throw invalidApiKey();
    const entry: CachedKey = {
      principal: new Principal(
        key.accountId,
        key._id,
        key.connectionIds?.length ? [...key.connectionIds] : undefined,
      ),
      accountDisabled: account.disabled,
      expiresAt: now + this.ttlMs,
    };
    if (this.ttlMs > 0 && generation === this.generation) {
      if (this.cache.size >= MAX_CACHED_KEYS) this.evictOldest();
      this.cache.set(hash, entry);
      this.hashByKeyId.set(key._id, hash);
    }
    return entry;
  }

  private noteUse(principal: Principal, now: number): void {
    const last = this.lastWrite.get(principal.apiKeyId);
    if (last !== undefined && now - last < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastWrite.set(principal.apiKeyId, now);
    this.keys.touchLastUsed(principal.scope, principal.apiKeyId, new Date(now)).catch((err: unknown) => {
      this.logger.pino.warn(
        { apiKeyId: principal.apiKeyId, err: err instanceof Error ? err.message : String(err) },
        'could not record lastUsedAt',
      );
    });
  }

  private evictOldest(): void {
    const oldest = this.cache.keys().next();
    if (oldest.done) return;
    const entry = this.cache.get(oldest.value);
    this.cache.delete(oldest.value);
    if (entry) this.hashByKeyId.delete(entry.principal.apiKeyId);
  }
}
