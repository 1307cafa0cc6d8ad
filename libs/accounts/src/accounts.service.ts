import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import { RefreshAheadStore } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { Clock, IdGenerator } from '@wwb/runtime';
import { AccountEventsProducer } from './account-events.producer';
import { AccountPatch, AccountRepository } from './account.repository';
import { AccountRecord } from './account.schema';
import { ApiKeyAuthService } from './keys/api-key-auth.service';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from './page.dto';
import { AccountUsage, AccountUsageService } from './plans/account-usage.service';
import { PlanCatalog } from './plans/plan.catalog';
import { PlanSlotRepository } from './plans/plan-slot.repository';
import { LimitedResource, Plan, PlanLimits, PlanName } from './plans/plan.value-object';

export const ACCOUNT_ID_PATTERN = /^acc_[0-9A-HJKMNP-TV-Z]{26}$/;

export const accountNotFound = () => AppError.notFound('Account');

export const planLimitExceeded = (resource: keyof PlanLimits, plan: Plan) =>
  new AppError(
    403,
    'plan_limit_exceeded',
    `The ${plan.name} plan allows at most ${plan.limit(resource)} ${resource}`,
    {
      resource,
      plan: plan.name,
      limit: plan.limit(resource),
    },
  );

export const invalidCursor = () =>
  new AppError(400, 'validation_failed', 'Request validation failed', [
    { field: 'cursor', messages: ['cursor is not a valid cursor'] },
  ]);

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface AccountWithUsage {
  account: AccountRecord;
  /** The account's plan with PLAN_LIMITS applied. */
  plan: Plan;
  usage: AccountUsage;
}

const MAX_CACHED_VIEWS = 10_000;

/** Accounts, their plans, and the plan slots that limits are enforced with. */
@Injectable()
export class AccountsService {
  /** What an account sees of itself, cached like verified keys (API_KEY_CACHE_TTL_MS). */
  private readonly views = new Map<string, { view: AccountWithUsage; expiresAt: number }>();
  private readonly viewLoading = new Map<string, Promise<AccountWithUsage>>();
  private viewGeneration = 0;
  private readonly viewTtlMs: number;
  /**
   * Plans of accounts, for the limit checks of hot paths (sends, uploads, streams), cached like
   * verified keys and re-read in the background while in use (no send waits for it).
   */
  private readonly planCache: RefreshAheadStore<Plan>;

  constructor(
    config: AppConfig,
    private readonly accounts: AccountRepository,
    private readonly slots: PlanSlotRepository,
    private readonly usage: AccountUsageService,
    private readonly plans: PlanCatalog,
    private readonly auth: ApiKeyAuthService,
    private readonly events: AccountEventsProducer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {
    this.viewTtlMs = config.auth.keyCacheTtlMs;
    this.planCache = new RefreshAheadStore<Plan>(
      { ttlMs: this.viewTtlMs, refreshAfterMs: Math.floor(this.viewTtlMs / 2), maxEntries: MAX_CACHED_VIEWS },
      clock,
    );
  }

  async create(input: { name: string; plan: PlanName }): Promise<AccountRecord> {
    const now = this.clock.now();
    const account: AccountRecord = {
      _id: this.ids.prefixed('acc'),
      name: input.name,
      plan: this.plans.of(input.plan).name,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.accounts.insert(account);
    await this.events.accountCreated(account);
    return account;
  }

  async list(opts: { cursor?: string; limit?: number }): Promise<Page<AccountWithUsage>> {
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    let afterId: string | undefined;
    if (opts.cursor !== undefined) {
      afterId = decodeCursor(opts.cursor, ACCOUNT_ID_PATTERN);
      if (!afterId) throw invalidCursor();
    }
    const rows = await this.accounts.page({ afterId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const usage = await this.usage.ofMany(page.map((a) => a._id));
    return {
      data: page.map((account) => ({
        account,
        plan: this.plans.of(account.plan),
        usage: usage.get(account._id)!,
      })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!._id) : null,
    };
  }

  async get(scope: AccountScope): Promise<AccountRecord> {
    if (!ACCOUNT_ID_PATTERN.test(scope.accountId)) throw accountNotFound();
    const account = await this.accounts.get(scope);
    if (!account) throw accountNotFound();
    return account;
  }

  async getWithUsage(scope: AccountScope): Promise<AccountWithUsage> {
    if (!ACCOUNT_ID_PATTERN.test(scope.accountId)) throw accountNotFound();
    const [account, usage] = await Promise.all([this.accounts.get(scope), this.usage.of(scope)]);
    if (!account) throw accountNotFound();
    return { account, plan: this.plans.of(account.plan), usage };
  }

  /**
   * The account's plan (PLAN_LIMITS applied), for limit checks on hot paths: cached in this
   * process for up to API_KEY_CACHE_TTL_MS; a plan changed through this process applies at once.
   */
  async planOf(scope: AccountScope): Promise<Plan> {
    const plan = await this.planCache.get(scope.accountId, async () =>
      this.plans.of((await this.get(scope)).plan),
    );
    return plan!;
  }

  /**
   * The account as its keys see it (plan, limits, usage). Served from this process's cache for
   * up to API_KEY_CACHE_TTL_MS; every change made through this process drops the entry at once,
   * changes made by other processes show within the TTL and one reload. An expired view is
   * answered while its reload runs: counting usage scans quota slots on FerretDB (about 1 s with
   * 15,000 pending messages), which no caller should wait for once a view exists.
   */
  async overview(scope: AccountScope): Promise<AccountWithUsage> {
    const now = this.clock.nowMs();
    const cached = this.views.get(scope.accountId);
    if (cached && cached.expiresAt > now) return cached.view;
    let pending = this.viewLoading.get(scope.accountId);
    if (!pending) {
      pending = this.loadView(scope, now).finally(() => this.viewLoading.delete(scope.accountId));
      this.viewLoading.set(scope.accountId, pending);
    }
    if (cached) {
      pending.catch(() => undefined); // a failed reload leaves the stale view; the next call retries
      return cached.view;
    }
    return pending;
  }

  /** One load per account at a time, so that an expiry under load costs one pair of queries. */
  private async loadView(scope: AccountScope, now: number): Promise<AccountWithUsage> {
    const generation = this.viewGeneration;
    const view = await this.getWithUsage(scope);
    if (this.viewTtlMs > 0 && generation === this.viewGeneration) {
      if (this.views.size >= MAX_CACHED_VIEWS) this.views.delete(this.views.keys().next().value!);
      this.views.set(scope.accountId, { view, expiresAt: now + this.viewTtlMs });
    }
    return view;
  }

  private forgetView(scope: AccountScope): void {
    this.viewGeneration++;
    this.views.delete(scope.accountId);
    this.viewLoading.delete(scope.accountId);
    this.planCache.delete(scope.accountId);
  }

  /** Drops the cached view of the account (its usage changed through this process; its plan did not). */
  forgetUsage(scope: AccountScope): void {
    this.viewGeneration++;
    this.views.delete(scope.accountId);
    this.viewLoading.delete(scope.accountId);
  }

  /**
   * Operator changes. A plan below the current usage is accepted (nothing is taken away; new
   * keys or connections are refused until usage is under the limit). The account's cached keys
   * are dropped so that a disable bites at once on this process.
   */
  async update(scope: AccountScope, patch: AccountPatch): Promise<AccountRecord> {
    const current = await this.get(scope);
    const changes: AccountPatch = {};
    if (patch.name !== undefined && patch.name !== current.name) changes.name = patch.name;
    if (patch.plan !== undefined && patch.plan !== current.plan)
      changes.plan = this.plans.of(patch.plan).name;
    if (patch.disabled !== undefined && patch.disabled !== current.disabled)
      changes.disabled = patch.disabled;
    if (Object.keys(changes).length === 0) return current;
    const updated = await this.accounts.update(scope, changes, this.clock.now());
    this.forgetView(scope);
    if (!updated) throw accountNotFound();
    this.auth.invalidateAccount(scope.accountId);
    await this.events.accountUpdated(updated);
    return updated;
  }

  /**
   * Takes one unit of a plan-limited resource for `holderId` (a key or connection id), or
   * throws 403 plan_limit_exceeded. Race-free: a limited plan has the slots n0…n<limit-1>, each
   * a unique `_id`, so concurrent reservations cannot hold more than the limit. Slots left over
   * from a bigger plan count too: after taking one, usage is re-counted and the slot given back
   * if it is over the limit.
   */
  async reserve(scope: AccountScope, resource: LimitedResource, holderId: string): Promise<void> {
    const plan = this.plans.of((await this.get(scope)).plan);
    const limit = plan.limit(resource);
    const now = this.clock.now();
    if (limit === null) {
      await this.slots.tryTake(scope, resource, `h-${holderId}`, holderId, now);
      this.forgetView(scope);
      return;
    }
    const held = await this.slots.held(scope, resource);
    if (held.length >= limit) throw planLimitExceeded(resource, plan);
    const taken = new Set(held.map((s) => s.slot));
    for (let i = 0; i < limit; i++) {
      const slot = `n${i}`;
      if (taken.has(slot) || !(await this.slots.tryTake(scope, resource, slot, holderId, now))) continue;
      if ((await this.slots.count(scope, resource)) > limit) {
        await this.slots.giveBackSlot(scope, resource, slot);
        break;
      }
      this.forgetView(scope);
      return;
    }
    throw planLimitExceeded(resource, plan);
  }

  /** Gives back what reserve() took for `holderId` (creation failed, or the thing was deleted). Idempotent. */
  async release(scope: AccountScope, resource: LimitedResource, holderId: string): Promise<void> {
    await this.slots.release(scope, resource, holderId);
    this.forgetView(scope);
  }

  /** For the connections feature: call before creating connection `connectionId`; release on failure or deletion. */
  reserveConnection(scope: AccountScope, connectionId: string): Promise<void> {
    return this.reserve(scope, 'connections', connectionId);
  }

  releaseConnection(scope: AccountScope, connectionId: string): Promise<void> {
    return this.release(scope, 'connections', connectionId);
  }
}
