import { Injectable } from '@nestjs/common';
import { AppError } from '@wwb/http';
import { AccountScope } from '@wwb/persistence';
import { Clock, IdGenerator } from '@wwb/runtime';
import { AccountEventsProducer } from '../account-events.producer';
import { AccountsService, invalidCursor, Page } from '../accounts.service';
import { ApiKeyAuthService } from './api-key-auth.service';
import { ApiKeyGenerator } from './api-key.generator';
import { ApiKeyRepository, NewApiKey } from './api-key.repository';
import { ApiKeyRecord } from './api-key.schema';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../page.dto';
import { Principal } from '../auth/principal.model';

export const API_KEY_ID_PATTERN = /^key_[0-9A-HJKMNP-TV-Z]{26}$/;

export interface IssuedApiKey {
  record: ApiKeyRecord;
  /** The full key, to show once. */
  key: string;
}

/** Issuing, listing and revoking API keys within the account's plan. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly accounts: AccountsService,
    private readonly auth: ApiKeyAuthService,
    private readonly generator: ApiKeyGenerator,
    private readonly events: AccountEventsProducer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /**
   * Issues a key if the plan has room (403 plan_limit_exceeded otherwise). When `by` is a key
   * restricted to some connections, the new key must be restricted to a subset of them.
   */
  async issue(
    scope: AccountScope,
    input: { name: string; connectionIds?: string[] },
    by?: Principal,
  ): Promise<IssuedApiKey> {
    if (by && !by.mayGrant(input.connectionIds)) {
      throw new AppError(
        403,
        'forbidden_scope',
        'A key restricted to some connections can only create keys restricted to a subset of them',
      );
    }
    const id = this.ids.prefixed('key');
    await this.accounts.reserve(scope, 'apiKeys', id);
    const { key, prefix, hash } = this.generator.generate();
    const record: NewApiKey = { _id: id, name: input.name, prefix, hash, createdAt: this.clock.now() };
    if (input.connectionIds?.length) record.connectionIds = [...input.connectionIds];
    let stored: ApiKeyRecord;
    try {
      stored = await this.keys.insert(scope, record);
    } catch (err) {
      await this.accounts.release(scope, 'apiKeys', id);
      throw err;
    }
    await this.events.apiKeyCreated(stored);
    return { record: stored, key };
  }

  /**
   * Active keys, oldest first. A key restricted to some connections sees only the keys it could
   * have granted itself (restricted to a subset of its connections), its own included.
   */
  async list(
    scope: AccountScope,
    opts: { cursor?: string; limit?: number },
    by?: Principal,
  ): Promise<Page<ApiKeyRecord>> {
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    let afterId: string | undefined;
    if (opts.cursor !== undefined) {
      afterId = decodeCursor(opts.cursor, API_KEY_ID_PATTERN);
      if (!afterId) throw invalidCursor();
    }
    const rows = await this.keys.pageActive(scope, { afterId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const data = by ? page.filter((k) => by.mayGrant(k.connectionIds)) : page;
    return { data, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!._id) : null };
  }

  /**
   * Revokes a key of this account (the key in use included). Takes effect at once on this
   * process. Another account's key, or an unknown one, is 404 alike; so is, for a key restricted
   * to some connections, a key with wider access than its own (it cannot revoke what it could
   * not have granted).
   */
  async revoke(scope: AccountScope, apiKeyId: string, by?: Principal): Promise<void> {
    if (by?.restricted) {
      const target = await this.keys.findActive(scope, apiKeyId);
      if (!target || !by.mayGrant(target.connectionIds)) throw AppError.notFound('API key');
    }
    const revokedAt = this.clock.now();
    if (!(await this.keys.revoke(scope, apiKeyId, revokedAt))) throw AppError.notFound('API key');
    this.auth.invalidateKey(apiKeyId);
    await this.accounts.release(scope, 'apiKeys', apiKeyId);
    await this.events.apiKeyRevoked(scope.accountId, apiKeyId, revokedAt);
  }
}
