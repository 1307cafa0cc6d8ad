import { Injectable } from '@nestjs/common';
import { AccountScope } from '@wwb/persistence';
import { RuleCacheStore } from './rule-cache.store';
import { CompiledRule } from './rule-engine.policy';

/**
 * The rules an inbound message is evaluated against, for the per-message path: compiled and
 * cached per account (see RuleCacheStore for how changes reach this process).
 */
@Injectable()
export class RulesService {
  constructor(private readonly cache: RuleCacheStore) {}

  /** Enabled rules serving `connectionId`, compiled, in ascending priority (then id). */
  activeRules(scope: AccountScope, connectionId: string): Promise<readonly CompiledRule[]> {
    return this.cache.serving(scope, connectionId);
  }
}
