import { PLAN_NAMES, Plan } from './plan.value-object';

describe('Plan', () => {
  it('has the three plans and their limits (null = unlimited)', () => {
    expect(PLAN_NAMES).toEqual(['starter', 'professional', 'enterprise']);
    expect(Plan.of('starter').limits).toEqual({
      apiKeys: 1,
      connections: 1,
      webhooks: 2,
      templates: 20,
      autoReplies: 20,
      faqBots: 1,
      contacts: 1000,
    });
    expect(Plan.of('professional').limits).toEqual({
      apiKeys: 5,
      connections: 10,
      webhooks: 10,
      templates: 500,
      autoReplies: 500,
      faqBots: 10,
      contacts: 100000,
    });
    expect(Plan.of('enterprise').limits).toEqual({
      apiKeys: null,
      connections: null,
      webhooks: null,
      templates: null,
      autoReplies: null,
      faqBots: null,
      contacts: null,
    });
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
