import { ACCOUNT_PLANS } from '@wwb/contracts';
import { AppConfig, PLAN_LIMIT_PLANS, PLAN_LIMIT_RESOURCES } from '@wwb/config';
import { PlanCatalog } from './plan.catalog';
import { DEFAULT_PLAN_LIMITS, PLAN_NAMES, Plan } from './plan.value-object';

const GIB = 1024 ** 3;

describe('Plan', () => {
  it('has the three plans and their built-in limits (null = unlimited)', () => {
    expect(PLAN_NAMES).toEqual(['starter', 'professional', 'enterprise']);
    expect(Plan.of('starter').limits).toEqual({
      apiKeys: 1,
      connections: 1,
      webhooks: 2,
      templates: 20,
      autoReplies: 20,
      faqBots: 1,
      campaigns: 5,
      users: 3,
      contacts: 1000,
      pendingMessages: 1000,
      mediaBytes: GIB,
      sseStreams: 5,
      webhookJobs: 2,
      mediaFetches: 4,
      scheduledMessages: 100,
      bulkJobs: 1,
    });
    expect(Plan.of('professional').limits).toEqual({
      apiKeys: 5,
      connections: 10,
      webhooks: 10,
      templates: 500,
      autoReplies: 500,
      faqBots: 10,
      campaigns: 100,
      users: 20,
      contacts: 100000,
      pendingMessages: 10000,
      mediaBytes: 10 * GIB,
      sseStreams: 25,
      webhookJobs: 5,
      mediaFetches: 16,
      scheduledMessages: 10000,
      bulkJobs: 5,
    });
    expect(Plan.of('enterprise').limits).toEqual({
      apiKeys: null,
      connections: null,
      webhooks: null,
      templates: null,
      autoReplies: null,
      faqBots: null,
      campaigns: null,
      users: null,
      contacts: null,
      pendingMessages: 100000,
      mediaBytes: 100 * GIB,
      sseStreams: 100,
      webhookJobs: 20,
      mediaFetches: 64,
      scheduledMessages: 100000,
      bulkJobs: 20,
    });
  });

  it('gives every plan a finite limit on the resources one tenant could use to starve the others', () => {
    for (const plan of Plan.all) {
      for (const r of [
        'pendingMessages',
        'mediaBytes',
        'sseStreams',
        'webhookJobs',
        'mediaFetches',
        'scheduledMessages',
        'bulkJobs',
      ] as const) {
        expect(typeof plan.limit(r)).toBe('number');
      }
    }
  });

  it('knows the same plans and resources as PLAN_LIMITS validates (libs/config)', () => {
    expect([...PLAN_LIMIT_PLANS]).toEqual([...ACCOUNT_PLANS]);
    for (const name of PLAN_NAMES) {
      expect(Object.keys(DEFAULT_PLAN_LIMITS[name]).sort()).toEqual([...PLAN_LIMIT_RESOURCES].sort());
    }
  });

  it('allows one more only under the limit', () => {
    const starter = Plan.of('starter');
    expect(starter.allowsOneMore('apiKeys', 0)).toBe(true);
    expect(starter.allowsOneMore('apiKeys', 1)).toBe(false);
    expect(starter.allowsOneMore('apiKeys', 3)).toBe(false); // after a downgrade
    expect(Plan.of('professional').allowsOneMore('connections', 9)).toBe(true);
    expect(Plan.of('professional').allowsOneMore('connections', 10)).toBe(false);
    expect(Plan.of('enterprise').allowsOneMore('apiKeys', 1e6)).toBe(true);
  });

  it('refuses unknown plans', () => {
    expect(() => Plan.of('gold')).toThrow('unknown plan');
    expect(Plan.isName('starter')).toBe(true);
    expect(Plan.isName('gold')).toBe(false);
    expect(Plan.isName(1)).toBe(false);
  });
});

describe('PlanCatalog', () => {
  it('applies PLAN_LIMITS over the built-in limits, per plan and resource, and leaves the rest', () => {
    const catalog = new PlanCatalog({
      planLimits: { starter: { pendingMessages: 3, apiKeys: null }, enterprise: { mediaBytes: null } },
    } as unknown as AppConfig);
    const starter = catalog.of('starter');
    expect(starter.limit('pendingMessages')).toBe(3);
    expect(starter.limit('apiKeys')).toBeNull();
    expect(starter.limit('connections')).toBe(1);
    expect(catalog.of('enterprise').limit('mediaBytes')).toBeNull();
    expect(catalog.of('professional').limits).toEqual(Plan.of('professional').limits);
    // The built-in plans are not changed by a catalog.
    expect(Plan.of('starter').limit('pendingMessages')).toBe(1000);
    expect(() => catalog.of('gold')).toThrow('unknown plan');
  });
});
