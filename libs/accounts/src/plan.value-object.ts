import { ACCOUNT_PLANS, AccountPlan } from '@wwb/contracts';

/** The plans, as account events carry them. */
export const PLAN_NAMES = ACCOUNT_PLANS;
export type PlanName = AccountPlan;

/** What a plan allows; `null` means unlimited. */
export interface PlanLimits {
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
  /**
   * Contacts (libs/contacts). Counted in the contacts collection, not with plan slots: an
   * account may hold tens of thousands, and an import may cross the limit by the rows in flight.
   */
  readonly contacts: number | null;
}

/** Resources whose limit is enforced with one plan slot per unit (race-free). */
export type SlottedResource = Exclude<keyof PlanLimits, 'contacts'>;

export type LimitedResource = SlottedResource;

const LIMITS: Record<PlanName, PlanLimits> = {
  starter: {
    apiKeys: 1,
    connections: 1,
    webhooks: 2,
    templates: 20,
    autoReplies: 20,
    faqBots: 1,
    contacts: 1_000,
  },
  professional: {
    apiKeys: 5,
    connections: 10,
    webhooks: 10,
    templates: 500,
    autoReplies: 500,
    faqBots: 10,
    contacts: 100_000,
  },
  enterprise: {
    apiKeys: null,
    connections: null,
    webhooks: null,
    templates: null,
    autoReplies: null,
    faqBots: null,
    contacts: null,
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

  static readonly all: readonly Plan[] = PLAN_NAMES.map((n) => new Plan(n, LIMITS[n]));

  static isName(value: unknown): value is PlanName {
    return typeof value === 'string' && (PLAN_NAMES as readonly string[]).includes(value);
  }

  static of(name: string): Plan {
    const plan = Plan.all.find((p) => p.name === name);
    if (!plan) throw new Error(`unknown plan "${name}"`);
    return plan;
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
