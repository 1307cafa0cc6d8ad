export const PLAN_NAMES = ['starter', 'professional', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

/** What a plan allows; `null` means unlimited. */
export interface PlanLimits {
  readonly apiKeys: number | null;
  readonly connections: number | null;
  /** Webhook endpoints (libs/webhooks). */
  readonly webhooks: number | null;
}

export type LimitedResource = keyof PlanLimits;

const LIMITS: Record<PlanName, PlanLimits> = {
  starter: { apiKeys: 1, connections: 1, webhooks: 2 },
  professional: { apiKeys: 5, connections: 10, webhooks: 10 },
  enterprise: { apiKeys: null, connections: null, webhooks: null },
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

  limit(resource: LimitedResource): number | null {
    return this.limits[resource];
  }

  /** Whether one more of `resource` fits when `inUse` are already used. */
  allowsOneMore(resource: LimitedResource, inUse: number): boolean {
    const limit = this.limits[resource];
    return limit === null || inUse < limit;
  }
}
