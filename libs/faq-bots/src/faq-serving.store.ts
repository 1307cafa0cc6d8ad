import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AccountScope } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { FaqBotRepository } from './faq-bot.repository';
import { FaqBotRecord } from './faq-bot.schema';

/** How long a process uses an account's bots before it checks their revision again. */
export const SERVING_CHECK_MS = 1_000;
/** Accounts whose enabled bots are kept per process. */
export const MAX_CACHED_ACCOUNTS = 10_000;

/** A bot and the revision of its entries, as `ask` uses them. */
export interface ServedBot {
  bot: FaqBotRecord;
  /** Null: the entries were never written. */
  revision: string | null;
}

interface CachedBot extends ServedBot {
  checkedAt: number;
}

interface Cached {
  /** The account's bots revision the list was read under (null: never changed). */
  revision: string | null;
  checkedAt: number;
  bots: FaqBotRecord[];
}

/**
 * The enabled bots of each account, for the inbound pipeline, which asks for them on every
 * message. A process reads them once per revision of the account's bot settings (changed after
 * every create, settings change and delete) and checks that revision at most once a second, so
 * a change made through another process is used within about a second; the editor calls
 * `forget` after its own changes, which this process then uses at once: in every store of the
 * process, since one process may compose the module more than once (the API's automation
 * module imports the worker variant). Concurrent reads for one account share one round trip.
 *
 * Each bot asked (`bot`) is kept the same way, with the revision of its entries: the pipeline
 * asks a bot on every message it answers, and reads it again at most once a second (a settings
 * or entries change through another process is used within about a second; `forget` drops the
 * account's bots too).
 */
@Injectable()
export class FaqServingStore implements OnModuleInit, OnModuleDestroy {
  private static readonly live = new Set<FaqServingStore>();

  private readonly cache = new LRUCache<string, Cached>({ max: MAX_CACHED_ACCOUNTS });
  private readonly loading = new Map<string, Promise<FaqBotRecord[]>>();
  /** Per account: its bots asked lately, by bot id. */
  private readonly asked = new LRUCache<string, Map<string, CachedBot>>({ max: MAX_CACHED_ACCOUNTS });
  private readonly askLoading = new Map<string, Promise<ServedBot | null>>();
  /** Counts forget() calls: a read that overlapped one is returned but not kept. */
  private forgets = 0;

  constructor(
    private readonly bots: FaqBotRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    FaqServingStore.live.add(this);
  }

  onModuleDestroy(): void {
    FaqServingStore.live.delete(this);
  }

  /** The account's enabled bots, in creation order. */
  enabled(scope: AccountScope): Promise<FaqBotRecord[]> {
    const cached = this.cache.get(scope.accountId);
    if (cached && this.clock.nowMs() - cached.checkedAt < SERVING_CHECK_MS) {
      return Promise.resolve(cached.bots);
    }
    let pending = this.loading.get(scope.accountId);
    if (!pending) {
      pending = this.refresh(scope, cached).finally(() => this.loading.delete(scope.accountId));
      this.loading.set(scope.accountId, pending);
    }
    return pending;
  }

  /** The account's bot (null: none such) and its entries' revision, read at most once a second. */
  bot(scope: AccountScope, botId: string): Promise<ServedBot | null> {
    const cached = this.asked.get(scope.accountId)?.get(botId);
    if (cached && this.clock.nowMs() - cached.checkedAt < SERVING_CHECK_MS) return Promise.resolve(cached);
    const key = `${scope.accountId}/${botId}`;
    let pending = this.askLoading.get(key);
    if (!pending) {
      pending = this.refreshBot(scope, botId).finally(() => this.askLoading.delete(key));
      this.askLoading.set(key, pending);
    }
    return pending;
  }

  /** After a change made by this process: the next read of every store goes to the database. */
  forget(accountId: string): void {
    for (const store of new Set([this, ...FaqServingStore.live])) store.drop(accountId);
  }

  private drop(accountId: string): void {
    this.cache.delete(accountId);
    this.loading.delete(accountId);
    this.asked.delete(accountId);
    for (const key of this.askLoading.keys())
      if (key.startsWith(`${accountId}/`)) this.askLoading.delete(key);
    this.forgets++;
  }

  private async refreshBot(scope: AccountScope, botId: string): Promise<ServedBot | null> {
    const forgets = this.forgets;
    const checkedAt = this.clock.nowMs();
    const [bot, revision] = await Promise.all([
      this.bots.get(scope, botId),
      this.bots.revision(scope, botId),
    ]);
    if (!bot) {
      this.asked.get(scope.accountId)?.delete(botId);
      return null;
    }
    if (this.forgets === forgets) {
      let bots = this.asked.get(scope.accountId);
      if (!bots) this.asked.set(scope.accountId, (bots = new Map()));
      bots.set(botId, { bot, revision, checkedAt });
    }
    return { bot, revision };
  }

  private async refresh(scope: AccountScope, cached: Cached | undefined): Promise<FaqBotRecord[]> {
    const forgets = this.forgets;
    const checkedAt = this.clock.nowMs();
    // The revision is read before the bots: a change that lands in between is cached under the
    // old revision and read again at the next check (writers bump the revision after writing).
    const revision = await this.bots.accountRevision(scope);
    const bots = cached && cached.revision === revision ? cached.bots : await this.bots.enabled(scope);
    // A forget() while reading means this read may predate the change: do not keep it.
    if (this.forgets === forgets) {
      this.cache.set(scope.accountId, { revision, checkedAt, bots });
    }
    return bots;
  }
}
