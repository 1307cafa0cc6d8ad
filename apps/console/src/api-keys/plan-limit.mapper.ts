import type { ApiProblem } from '../api/api-error.mapper';

/** How the plan's resources read in a sentence ("allows 2 API keys"). */
const RESOURCES: Readonly<Record<string, string>> = {
  apiKeys: 'API keys',
  webhooks: 'webhook endpoints',
  users: 'users and pending invitations',
  connections: 'connections',
  webhookJobs: 'redeliveries and replays in progress',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The message of a problem, with a plan limit spelled out for people: which plan, how many it
 * allows of what, and what to do about it. The API's own message covers every other code.
 */
export function problemMessage(problem: ApiProblem): string {
  const details = isRecord(problem.details) ? problem.details : {};
  const { resource, plan, limit } = details;
  if (
    (problem.code === 'plan_limit_exceeded' || problem.code === 'too_many_webhook_jobs') &&
    typeof resource === 'string' &&
    typeof limit === 'number'
  ) {
    const what = RESOURCES[resource] ?? resource;
    const planName = typeof plan === 'string' ? `The ${plan} plan` : 'Your plan';
    const todo =
      problem.code === 'too_many_webhook_jobs'
        ? 'Wait for one to finish and try again.'
        : 'Remove one first, or ask the operator for a larger plan.';
    return `${planName} allows ${limit} ${what}. ${todo}`;
  }
  return problem.message;
}
