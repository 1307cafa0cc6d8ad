import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { LRUCache } from 'lru-cache';
import { Logger } from 'pino';
import { AppLogger } from '@wwb/observability';
import { AccountScope } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { byPriority, compileRule, CompiledRule } from './rule-engine.policy';
import { toRule } from './rule.mapper';
import { RuleRepository } from './rule.repository';

/** In-process event emitted after an account's rules changed (payload: RulesChangedEvent). */
export const RULES_CHANGED_EVENT = 'automation.rules.changed';

export interface RulesChangedEvent {
  accountId: string;
  revision: number;
}

/** How stale a cached account may get before its revision is read again (changes made by other processes). */
export const RULES_REVISION_CHECK_MS = 1_000;
const MAX_ACCOUNTS = 5_000;

interface Entry {
  revision: number;
  rules: readonly CompiledRule[];
  byConnection: Map<string, readonly CompiledRule[]>;
  checkedAt: number;
}

/**
 * Compiled rules per account, for the per-message path. A cached account costs nothing for a
 * second; then one small read of its revision tells whether to reload. Changes made in this
 * process drop the entry at once (RULES_CHANGED_EVENT); changes made by another process are seen
 * within RULES_REVISION_CHECK_MS.
 */
@Injectable()
export class RuleCacheStore {
  private readonly entries = new LRUCache<string, Entry>({ max: MAX_ACCOUNTS });
  private readonly loading = new Map<string, Promise<Entry>>();
  /** Bumped by each invalidation, so that a load which started before it is not cached. */
  private readonly generations = new Map<string, number>();
  private readonly logger: Logger;

  constructor(
    private readonly repository: RuleRepository,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'RuleCacheStore' });
  }

  /** Enabled rules serving `connectionId`, in evaluation order. */
  async serving(scope: AccountScope, connectionId: string): Promise<readonly CompiledRule[]> {
    const entry = await this.entry(scope);
    let rules = entry.byConnection.get(connectionId);
    if (!rules) {
      rules = entry.rules.filter((r) => r.serves(connectionId));
      if (entry.byConnection.size > 1_000) entry.byConnection.clear();
      entry.byConnection.set(connectionId, rules);
    }
    return rules;
  }

  @OnEvent(RULES_CHANGED_EVENT)
  invalidate(event: Pick<RulesChangedEvent, 'accountId'>): void {
    this.generations.set(event.accountId, (this.generations.get(event.accountId) ?? 0) + 1);
    this.entries.delete(event.accountId);
    this.loading.delete(event.accountId);
  }

  private entry(scope: AccountScope): Promise<Entry> {
    const cached = this.entries.get(scope.accountId);
    if (cached && this.clock.nowMs() - cached.checkedAt < RULES_REVISION_CHECK_MS)
      return Promise.resolve(cached);
    let pending = this.loading.get(scope.accountId);
    if (!pending) {
      pending = this.refresh(scope, cached).finally(() => {
        if (this.loading.get(scope.accountId) === pending) this.loading.delete(scope.accountId);
      });
      this.loading.set(scope.accountId, pending);
    }
    return pending;
  }

  private async refresh(scope: AccountScope, cached: Entry | undefined): Promise<Entry> {
    const generation = this.generations.get(scope.accountId) ?? 0;
    // the revision is read before the rules: a change in between leaves an older revision
    // cached, and the next check loads again
    const revision = await this.repository.revision(scope);
    const checkedAt = this.clock.nowMs();
    if (
      cached &&
      cached.revision === revision &&
      generation === (this.generations.get(scope.accountId) ?? 0)
    ) {
      cached.checkedAt = checkedAt;
      return cached;
    }
    const rules: CompiledRule[] = [];
    for (const record of await this.repository.all(scope)) {
      try {
        rules.push(compileRule(toRule(record)));
      } catch (err) {
        // saved rules compile (they were checked on save); skip one that no longer does
        this.logger.warn(
          { err, ruleId: record._id, accountId: scope.accountId },
          'auto-reply rule does not compile; skipped',
        );
      }
    }
    rules.sort(byPriority);
    const entry: Entry = { revision, rules, byConnection: new Map(), checkedAt };
    if (generation === (this.generations.get(scope.accountId) ?? 0)) this.entries.set(scope.accountId, entry);
    return entry;
  }
}
