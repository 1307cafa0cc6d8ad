import { isPlan, planLabel, usageSummary } from './operator.mapper';

describe('usageSummary', () => {
  it('shows usage against limits, ∞ for no limit', () => {
    const limits = { connections: 10, apiKeys: 5, users: null, webhooks: 1000 };
    const usage = { connections: 2, apiKeys: 1, users: 3, webhooks: 0 };
    expect(usageSummary({ usage, limits } as never, 'en')).toBe(
      '2/10 connections, 1/5 API keys, 3/∞ users, 0/1,000 webhooks',
    );
  });
});

describe('plans', () => {
  it('names the known plans and keeps others as they are', () => {
    expect(planLabel('enterprise')).toBe('Enterprise');
    expect(planLabel('legacy')).toBe('legacy');
    expect(isPlan('starter')).toBe(true);
    expect(isPlan('free')).toBe(false);
  });
});
