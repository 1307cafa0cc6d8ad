import { SettingError } from './setting.parsers';

/**
 * The plans (the same names as @wwb/contracts ACCOUNT_PLANS; config imports no other lib, and a
 * unit test in @wwb/accounts keeps the two lists equal).
 */
export const PLAN_LIMIT_PLANS = ['starter', 'professional', 'enterprise'] as const;
export type PlanLimitPlan = (typeof PLAN_LIMIT_PLANS)[number];

/** Every resource a plan limits (the keys of @wwb/accounts PlanLimits). */
export const PLAN_LIMIT_RESOURCES = [
  'apiKeys',
  'connections',
  'webhooks',
  'templates',
  'autoReplies',
  'faqBots',
  'campaigns',
  'users',
  'contacts',
  'pendingMessages',
  'mediaBytes',
  'sseStreams',
  'webhookJobs',
  'mediaFetches',
  'scheduledMessages',
  'bulkJobs',
] as const;
export type PlanLimitResource = (typeof PLAN_LIMIT_RESOURCES)[number];

/** PLAN_LIMITS, parsed: per plan, the resources whose built-in limit it replaces (`null` = unlimited). */
export type PlanLimitOverrides = Partial<
  Record<PlanLimitPlan, Partial<Record<PlanLimitResource, number | null>>>
>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * PLAN_LIMITS: a JSON object `{ "<plan>": { "<resource>": <integer >= 0 | null>, ... }, ... }`.
 * Every unknown plan, unknown resource or bad value is named, so that a typo stops the process at
 * boot instead of silently leaving a limit at its default.
 */
export const planLimitOverrides = (raw: string): PlanLimitOverrides => {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SettingError('must be a JSON object, e.g. {"starter":{"pendingMessages":500}}');
  }
  if (!isObject(parsed)) throw new SettingError('must be a JSON object of plans');
  const problems: string[] = [];
  const out: PlanLimitOverrides = {};
  for (const [plan, limits] of Object.entries(parsed)) {
    if (!(PLAN_LIMIT_PLANS as readonly string[]).includes(plan)) {
      problems.push(`unknown plan "${plan}" (plans: ${PLAN_LIMIT_PLANS.join(', ')})`);
      continue;
    }
    if (!isObject(limits)) {
      problems.push(`${plan} must be an object of resource limits`);
      continue;
    }
    const planOut: Partial<Record<PlanLimitResource, number | null>> = {};
    for (const [resource, value] of Object.entries(limits)) {
      if (!(PLAN_LIMIT_RESOURCES as readonly string[]).includes(resource)) {
        problems.push(
          `${plan}: unknown resource "${resource}" (resources: ${PLAN_LIMIT_RESOURCES.join(', ')})`,
        );
        continue;
      }
      if (value !== null && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
        problems.push(
          `${plan}.${resource} must be an integer >= 0 or null (unlimited), got ${JSON.stringify(value)}`,
        );
        continue;
      }
      planOut[resource as PlanLimitResource] = value as number | null;
    }
    out[plan as PlanLimitPlan] = planOut;
  }
  if (problems.length) throw new SettingError(problems.join('; '));
  return out;
};
