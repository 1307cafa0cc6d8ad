import { problemMessage } from './plan-limit.mapper';

describe('problemMessage', () => {
  it('spells out a plan limit with the plan, the limit and what to do', () => {
    expect(
      problemMessage({
        status: 403,
        code: 'plan_limit_exceeded',
        message: 'Plan limit reached',
        details: { resource: 'apiKeys', plan: 'starter', limit: 2 },
      }),
    ).toBe('The starter plan allows 2 API keys. Remove one first, or ask the operator for a larger plan.');
  });

  it('says to wait for jobs held for a while', () => {
    expect(
      problemMessage({
        status: 429,
        code: 'too_many_webhook_jobs',
        message: 'Too many',
        details: { resource: 'webhookJobs', plan: 'professional', limit: 5 },
      }),
    ).toBe(
      'The professional plan allows 5 redeliveries and replays in progress. Wait for one to finish and try again.',
    );
  });

  it("keeps the API's message for other codes and for details it does not know", () => {
    expect(problemMessage({ status: 409, code: 'user_exists', message: 'Already a user' })).toBe(
      'Already a user',
    );
    expect(
      problemMessage({ status: 403, code: 'plan_limit_exceeded', message: 'Limit', details: ['x'] }),
    ).toBe('Limit');
    expect(
      problemMessage({
        status: 403,
        code: 'plan_limit_exceeded',
        message: 'Limit',
        details: { resource: 'gadgets', limit: 1 },
      }),
    ).toBe('Your plan allows 1 gadgets. Remove one first, or ask the operator for a larger plan.');
  });
});
