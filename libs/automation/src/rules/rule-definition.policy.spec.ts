import { DomainError } from '@wwb/runtime';
import { checkRuleDefinition, RuleInput, templateIdsOf } from './rule-definition.policy';

const reply = { type: 'reply', text: 'Hi {{contact.name}}' };
const input = (over: Partial<RuleInput> = {}): RuleInput => ({ name: ' Prices ', actions: [reply], ...over });
const withCondition = (c: unknown) => input({ conditions: { mode: 'all', items: [c] } });

const errorOf = (i: RuleInput): DomainError | undefined => {
  try {
    checkRuleDefinition(i);
  } catch (err) {
    return err as DomainError;
  }
  return undefined;
};
const codeOf = (i: RuleInput) => errorOf(i)?.code;

describe('rule definition', () => {
  it('applies the defaults', () => {
    expect(checkRuleDefinition(input())).toEqual({
      name: 'Prices',
      priority: 100,
      enabled: true,
      stopOnMatch: true,
      connectionIds: [],
      conditions: { mode: 'all', items: [] },
      actions: [reply],
      cooldownSeconds: 0,
    });
  });

  it('accepts every condition type', () => {
    const items = [
      { type: 'text', op: 'keywords', values: ['price', 'cost'] },
      { type: 'text', op: 'regex', value: '^order\\s+\\d+$', caseSensitive: true, negate: true },
      { type: 'messageType', in: ['text', 'image'] },
      { type: 'chatType', in: ['direct', 'group'] },
      { type: 'contactTag', op: 'hasAny', tags: ['VIP', 'vip', 'de'] },
      { type: 'firstMessage' },
      {
        type: 'businessHours',
        inside: false,
        hours: {
          timeZone: 'Europe/Berlin',
          weekly: { mon: [{ from: '09:00', to: '17:30' }], fri: [{ from: '22:00', to: '02:00' }] },
          holidays: ['2026-12-25'],
        },
      },
    ];
    const rule = checkRuleDefinition(input({ conditions: { mode: 'any', items } }));
    expect(rule.conditions.items).toHaveLength(7);
    expect(rule.conditions.items[4]).toEqual({ type: 'contactTag', op: 'hasAny', tags: ['vip', 'de'] });
  });

  it('refuses unknown and malformed conditions with their codes', () => {
    const unknown = errorOf(withCondition({ type: 'weather', is: 'sunny' }));
    expect(unknown).toMatchObject({
      kind: 'invalid',
      code: 'unknown_condition_type',
      details: { index: 0, type: 'weather' },
    });
    expect(codeOf(withCondition('text'))).toBe('unknown_condition_type');
    expect(codeOf(withCondition({ type: 'text', op: 'like', value: 'x' }))).toBe('invalid_condition');
    expect(errorOf(withCondition({ type: 'text', op: 'contains', value: 'x', extra: 1 }))?.message).toMatch(
      /unknown property "extra"/,
    );
    expect(codeOf(withCondition({ type: 'messageType', in: ['hologram'] }))).toBe('invalid_condition');
    expect(codeOf(withCondition({ type: 'chatType', in: [] }))).toBe('invalid_condition');
    expect(codeOf(withCondition({ type: 'contactTag', op: 'hasAny', tags: ['no spaces'] }))).toBe(
      'invalid_condition',
    );
    expect(codeOf(withCondition({ type: 'text', op: 'regex', value: '(a' }))).toBe('invalid_regex');
    expect(codeOf(withCondition({ type: 'text', op: 'regex', value: 'x'.repeat(501) }))).toBe(
      'invalid_regex',
    );
  });

  it('names the row of a condition that does not compile', () => {
    const hours = { timeZone: 'Europe/Berlin', weekly: { tue: [{ from: '18:00', to: '18:00' }] } };
    const err = errorOf(
      input({
        conditions: {
          mode: 'all',
          items: [{ type: 'firstMessage' }, { type: 'businessHours', inside: true, hours }],
        },
      }),
    );
    expect(err).toMatchObject({
      code: 'invalid_business_hours',
      message: 'conditions.items[1]: tue: the range 18:00-18:00 is empty',
      details: { index: 1 },
    });
    const regex = errorOf(withCondition({ type: 'text', op: 'regex', value: '(a' }));
    expect(regex).toMatchObject({ code: 'invalid_regex', details: { index: 0, pattern: '(a' } });
  });

  it('business hours: bad zone 400 invalid_time_zone, bad ranges 400 invalid_business_hours', () => {
    const hours = (h: unknown) => withCondition({ type: 'businessHours', inside: true, hours: h });
    expect(codeOf(hours({ timeZone: 'Europe/Atlantis', weekly: {} }))).toBe('invalid_time_zone');
    expect(codeOf(hours({ timeZone: 'UTC', weekly: { mon: [{ from: '9', to: '17:00' }] } }))).toBe(
      'invalid_business_hours',
    );
    expect(codeOf(hours({ timeZone: 'UTC', weekly: { funday: [] } }))).toBe('invalid_business_hours');
    expect(codeOf(hours({ timeZone: 'UTC', weekly: { mon: [{ from: '09:00' }] } }))).toBe(
      'invalid_business_hours',
    );
    expect(codeOf(hours({ timeZone: 'UTC', weekly: {}, holidays: ['tomorrow'] }))).toBe(
      'invalid_business_hours',
    );
  });

  it('refuses unknown and malformed actions', () => {
    expect(codeOf(input({ actions: [{ type: 'launch' }] }))).toBe('unknown_action_type');
    expect(codeOf(input({ actions: [{ type: 'reply' }] }))).toBe('invalid_action');
    expect(codeOf(input({ actions: [{ type: 'reply', text: 'a', templateId: 'tpl_1' }] }))).toBe(
      'invalid_action',
    );
    expect(codeOf(input({ actions: [{ type: 'reply', text: 'a', variables: { x: 1 } }] }))).toBe(
      'invalid_action',
    );
    expect(codeOf(input({ actions: [{ type: 'reply', media: { type: 'image' } }] }))).toBe('invalid_action');
    expect(
      codeOf(input({ actions: [{ type: 'reply', media: { type: 'image', url: 'ftp://x/y.png' } }] })),
    ).toBe('invalid_http_url');
    expect(codeOf(input({ actions: [{ type: 'tag' }] }))).toBe('invalid_action');
    expect(codeOf(input({ actions: [{ type: 'tag', add: ['a'], remove: ['A'] }] }))).toBe('invalid_action');
    expect(codeOf(input({ actions: [{ type: 'handoff', minutes: 0 }] }))).toBe('invalid_action');
    expect(codeOf(input({ actions: [{ type: 'http', url: 'file:///etc/passwd' }] }))).toBe(
      'invalid_http_url',
    );
    expect(codeOf(input({ actions: [{ type: 'http', url: 'https://u:p@example.com' }] }))).toBe(
      'invalid_http_url',
    );
    expect(codeOf(input({ actions: [{ type: 'http', url: 'https://x.com', method: 'GET' }] }))).toBe(
      'invalid_action',
    );
    expect(codeOf(input({ actions: [] }))).toBe('invalid_action');
    expect(codeOf(input({ name: '   ' }))).toBe('invalid_name');
  });

  it('normalises actions and lists the templates they use', () => {
    const rule = checkRuleDefinition(
      input({
        actions: [
          { type: 'reply', templateId: 'tpl_A', variables: { order: 12 } },
          { type: 'reply', templateId: 'tpl_A' },
          { type: 'tag', add: ['VIP'] },
          { type: 'http', url: 'https://hooks.example.com/x', headers: { 'X-Token': 't' } },
          { type: 'handoff', minutes: 30 },
          { type: 'askFaq', botId: 'faq_1' },
          { type: 'reply', media: { type: 'image', url: 'https://cdn.example.com/a.png', caption: 'A' } },
        ],
      }),
    );
    expect(rule.actions[2]).toEqual({ type: 'tag', add: ['vip'] });
    expect(rule.actions[3]).toEqual({
      type: 'http',
      url: 'https://hooks.example.com/x',
      method: 'POST',
      headers: { 'X-Token': 't' },
    });
    expect(templateIdsOf(rule.actions)).toEqual(['tpl_A']);
  });
});
