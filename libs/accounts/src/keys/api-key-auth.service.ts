import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import { RefreshAheadStore } from '@wwb/infrastructure';
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
}

const MAX_CACHED_KEYS = 10_000;
/** lastUsedAt is written at most this often per key. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export const invalidApiKey = () => new AppError(401, 'invalid_api_key', 'The API key is unknown or revoked');

/**
 * Verifies API keys. A verified key is cached in this process for API_KEY_CACHE_TTL_MS and
 * re-read in the background from half that age while it is in use (RefreshAheadStore), so a
 * busy key never makes its requests wait for the database; revoking a key or changing an
 * account on this process drops its entries at once (other API processes notice within the
 * TTL). lastUsedAt is written at most once a minute per key and process, without holding up the
 * request.
 */
@Injectable()
export class ApiKeyAuthService {
  private readonly keys: RefreshAheadStore<CachedKey>;
  private readonly lastWrite = new Map<string, number>();

  constructor(
    config: AppConfig,
    private readonly repository: ApiKeyRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {
    const ttlMs = config.auth.keyCacheTtlMs;
    this.keys = new RefreshAheadStore<CachedKey>(
      { ttlMs, refreshAfterMs: Math.floor(ttlMs / 2), maxEntries: MAX_CACHED_KEYS },
      clock,
    );
  }

  async authenticate(presented: string): Promise<Principal> {
    if (!looksLikeApiKey(presented)) throw invalidApiKey();
    const hash = hashApiKey(presented);
    const entry = await this.keys.get(hash, () => this.load(hash));
    if (!entry) throw invalidApiKey();
    if (entry.accountDisabled) throw new AppError(403, 'account_disabled', 'This account is disabled');
    this.noteUse(entry.principal, this.clock.nowMs());
    return entry.principal;
  }

  invalidateKey(apiKeyId: string): void {
    this.keys.deleteWhere((entry) => entry.principal.apiKeyId === apiKeyId);
    this.lastWrite.delete(apiKeyId);
  }

  invalidateAccount(accountId: string): void {
    this.keys.deleteWhere((entry) => entry.principal.accountId === accountId);
  }

  /** The key and its account as stored now; undefined when the key is unknown or revoked. */
  private async load(hash: string): Promise<CachedKey | undefined> {
    const key = await this.repository.findActiveByHash(hash);
    if (!key) return undefined;
    const account = await this.accounts.get(scopeOf(key.accountId));
    if (!account) return undefined;
    return {
      principal: new Principal(
        key.accountId,
        key._id,
        key.connectionIds?.length ? [...key.connectionIds] : undefined,
      ),
      accountDisabled: account.disabled,
    };
  }

  private noteUse(principal: Principal, now: number): void {
    const last = this.lastWrite.get(principal.apiKeyId);
    if (last !== undefined && now - last < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastWrite.set(principal.apiKeyId, now);
    this.repository
      .touchLastUsed(principal.scope, principal.apiKeyId, new Date(now))
      .catch((err: unknown) => {
        this.logger.pino.warn(
          { apiKeyId: principal.apiKeyId, err: err instanceof Error ? err.message : String(err) },
          'could not record lastUsedAt',
        );
      });
  }
}
