import { ACCOUNT_PLANS, AccountPlan } from '@wwb/contracts';
import type { PlanLimitOverrides, PlanLimitResource } from '@wwb/config';

/** The plans, as account events carry them. */
export const PLAN_NAMES = ACCOUNT_PLANS;
export type PlanName = AccountPlan;

/** What a plan allows; `null` means unlimited. PLAN_LIMITS may replace any of these per plan. */
export interface PlanLimits extends Readonly<Record<PlanLimitResource, number | null>> {
  readonly apiKeys: number | null;
  readonly connections: number | null;
  /** Webhook endpoints (libs/webhooks). */
  readonly webhooks: number | null;
  /** Message templates (libs/templates). */
  readonly templates: number | null;
  /** Auto-reply rules (libs/automation). */
  readonly autoReplies: number | null;
  /** FAQ bots (libs/faq-bots). */
  readonly faqBots: number | null;
  /** Campaigns (libs/campaigns), from creation until deleted (a cancelled one still counts). */
  readonly campaigns: number | null;
  /** Console users of the account plus its pending invitations (users/). */
  readonly users: number | null;
  /**
   * Contacts (libs/contacts). Counted in the contacts collection, not with plan slots: an
   * account may hold tens of thousands, and an import may cross the limit by the rows in flight.
   */
  readonly contacts: number | null;
  /** Messages accepted and not yet sent or failed (429 too_many_pending_messages). */
  readonly pendingMessages: number | null;
  /** Bytes of stored media: uploads, and base64 / URL media of sent messages (403 plan_limit_exceeded). */
  readonly mediaBytes: number | null;
  /** Live event streams open at once over every API process (429 too_many_streams). */
  readonly sseStreams: number | null;
  /** Webhook redelivery and replay jobs not done yet (429 too_many_webhook_jobs). */
  readonly webhookJobs: number | null;
  /** Media URL fetches in flight at once over every API process (429 too_many_media_fetches). */
  readonly mediaFetches: number | null;
  /** Messages scheduled for later (sendAt) and not sent yet (429 too_many_scheduled_messages). */
  readonly scheduledMessages: number | null;
  /** Bulk send jobs whose run is not over yet (429 too_many_bulk_jobs). */
  readonly bulkJobs: number | null;
}

/** Resources whose limit is enforced with one plan slot per unit (race-free), for as long as the thing exists. */
export type SlottedResource =
  'apiKeys' | 'connections' | 'webhooks' | 'templates' | 'autoReplies' | 'faqBots' | 'campaigns' | 'users';

export type LimitedResource = SlottedResource;

/**
 * Resources held for a while (a message until it is sent, a stream while it is open, a fetch
 * while it runs, a job until it is done) and counted with quota slots (@wwb/infrastructure).
 */
export type ConcurrentResource =
  'pendingMessages' | 'sseStreams' | 'webhookJobs' | 'mediaFetches' | 'scheduledMessages' | 'bulkJobs';

const GIB = 1024 * 1024 * 1024;

/** The built-in limits. The limits of the abuse-protection resources are finite on every plan. */
export const DEFAULT_PLAN_LIMITS: Readonly<Record<PlanName, PlanLimits>> = {
  starter: {
    apiKeys: 1,
    connections: 1,
    webhooks: 2,
    templates: 20,
    autoReplies: 20,
    faqBots: 1,
    campaigns: 5,
    users: 3,
    contacts: 1_000,
    pendingMessages: 1_000,
    mediaBytes: GIB,
    sseStreams: 5,
    webhookJobs: 2,
    mediaFetches: 4,
    scheduledMessages: 100,
    bulkJobs: 1,
  },
  professional: {
    apiKeys: 5,
    connections: 10,
    webhooks: 10,
    templates: 500,
    autoReplies: 500,
    faqBots: 10,
    campaigns: 100,
    users: 20,
    contacts: 100_000,
    pendingMessages: 10_000,
    mediaBytes: 10 * GIB,
    sseStreams: 25,
    webhookJobs: 5,
    mediaFetches: 16,
    scheduledMessages: 10_000,
    bulkJobs: 5,
  },
  enterprise: {
    apiKeys: null,
    connections: null,
    webhooks: null,
    templates: null,
    autoReplies: null,
    faqBots: null,
    campaigns: null,
    users: null,
    contacts: null,
    pendingMessages: 100_000,
    mediaBytes: 100 * GIB,
    sseStreams: 100,
    webhookJobs: 20,
    mediaFetches: 64,
    scheduledMessages: 100_000,
    bulkJobs: 20,
  },
};

/**
 * A plan and its limits. A downgrade below the current usage is allowed: nothing is taken
 * away, but new keys or connections are refused until usage is back under the limit.
 */
export class Plan {
  private constructor(
    readonly name: PlanName,
    readonly limits: PlanLimits,
  ) {}

  /** The plans with their built-in limits (PlanCatalog applies PLAN_LIMITS on top). */
  static readonly all: readonly Plan[] = PLAN_NAMES.map((n) => new Plan(n, DEFAULT_PLAN_LIMITS[n]));

  static isName(value: unknown): value is PlanName {
    return typeof value === 'string' && (PLAN_NAMES as readonly string[]).includes(value);
  }

  /** A plan with its built-in limits. Services use PlanCatalog.of(), which applies PLAN_LIMITS. */
  static of(name: string): Plan {
    const plan = Plan.all.find((p) => p.name === name);
    if (!plan) throw new Error(`unknown plan "${name}"`);
    return plan;
  }

  /** The plans with `overrides` (PLAN_LIMITS) replacing their built-in limits. */
  static withOverrides(overrides: PlanLimitOverrides): Plan[] {
    return PLAN_NAMES.map((n) => new Plan(n, { ...DEFAULT_PLAN_LIMITS[n], ...(overrides[n] ?? {}) }));
  }

  limit(resource: keyof PlanLimits): number | null {
    return this.limits[resource];
  }

  /** Whether one more of `resource` fits when `inUse` are already used. */
  allowsOneMore(resource: keyof PlanLimits, inUse: number): boolean {
    const limit = this.limits[resource];
    return limit === null || inUse < limit;
  }
}
