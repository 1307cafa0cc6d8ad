import {
  actionSummary,
  emptyRule,
  newAction,
  newCondition,
  ruleErrors,
  ruleSummary,
  toBody,
  toDraft,
} from './rule-form.mapper';

const rule = {
  name: 'Prices',
  priority: 10,
  enabled: true,
  stopOnMatch: false,
  cooldownSeconds: 60,
  conditions: {
    mode: 'any' as const,
    items: [
      { type: 'text', op: 'keywords', values: ['price', 'cost'], caseSensitive: false, negate: false },
      { type: 'chatType', in: ['direct', 'group'] },
      { type: 'contactTag', op: 'hasNone', tags: ['vip'] },
      { type: 'businessHours', inside: false, hours: { timeZone: 'UTC', weekly: {} } },
      { type: 'firstMessage' },
    ],
  },
  actions: [
    { type: 'reply', text: 'Our prices: {{contact.name}}' },
    { type: 'reply', media: { type: 'image', url: 'https://example.com/a.png' } },
    { type: 'http', url: 'https://example.com/hook', headers: { 'X-Token': 'abc' } },
    { type: 'tag', add: ['lead'] },
    { type: 'handoff', minutes: 30 },
  ],
};

describe('rule form mapper', () => {
  it('round-trips a rule through the form, keeping what the form does not edit', () => {
    const result = toBody(toDraft(rule));
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'Prices',
        priority: 10,
        enabled: true,
        stopOnMatch: false,
        cooldownSeconds: 60,
        conditions: {
          mode: 'any',
          items: [
            { type: 'text', op: 'keywords', values: ['price', 'cost'] },
            { type: 'chatType', in: ['direct', 'group'] },
            { type: 'contactTag', op: 'hasNone', tags: ['vip'] },
            { type: 'businessHours', inside: false, hours: { timeZone: 'UTC', weekly: {} } },
            { type: 'firstMessage' },
          ],
        },
        actions: [
          { type: 'reply', text: 'Our prices: {{contact.name}}' },
          { type: 'reply', media: { type: 'image', url: 'https://example.com/a.png' } },
          { type: 'http', url: 'https://example.com/hook', headers: { 'X-Token': 'abc' } },
          { type: 'tag', add: ['lead'] },
          { type: 'handoff', minutes: 30 },
        ],
      },
    });
  });

  it('builds a new keyword rule; numbers typed wrong go as typed for the API to name', () => {
    const draft = emptyRule();
    draft.name = '  Hours ';
    draft.priority = 'ten';
    draft.conditions = [{ ...newCondition('text'), op: 'contains', value: 'open', negate: true }];
    draft.actions = [{ ...newAction('reply'), text: 'We open at 9' }];
    const result = toBody(draft);
    expect(result.ok && result.body).toMatchObject({
      name: 'Hours',
      priority: 'ten',
      conditions: { mode: 'all', items: [{ type: 'text', op: 'contains', value: 'open', negate: true }] },
      actions: [{ type: 'reply', text: 'We open at 9' }],
    });
  });

  it('sends business hours from their editor; what it finds wrong goes on their row', () => {
    const draft = emptyRule();
    const hours = newCondition('businessHours', 'America/New_York');
    draft.conditions = [newCondition('text'), hours];
    const built = toBody(draft);
    expect(built.ok && built.body.conditions).toEqual({
      mode: 'all',
      items: [
        { type: 'text', op: 'contains', value: '' },
        {
          type: 'businessHours',
          inside: true,
          hours: {
            timeZone: 'America/New_York',
            weekly: Object.fromEntries(
              ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '17:00' }]]),
            ),
          },
        },
      ],
    });
    hours.hours.weekly.wed = [{ from: '09:00', to: '' }];
    expect(toBody(draft)).toEqual({
      ok: false,
      errors: {
        fields: {},
        conditions: { 1: 'Wednesday: choose both a start and an end time.' },
        actions: {},
      },
    });
  });

  it("a new business-hours condition starts in the viewer's time zone", () => {
    expect(newCondition('businessHours').hours.timeZone).toBe(
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
  });

  it('places API errors on the condition or action row they name', () => {
    expect(
      ruleErrors({
        status: 400,
        code: 'invalid_condition',
        message: 'conditions.items[1] (text): /value must NOT have fewer than 1 characters',
        details: { index: 1 },
      }).conditions,
    ).toEqual({ 1: '(text): /value must NOT have fewer than 1 characters' });
    expect(
      ruleErrors({ status: 400, code: 'invalid_http_url', message: 'actions[2]: url must use http or https' })
        .actions,
    ).toEqual({ 2: 'Url must use http or https' });
    expect(
      ruleErrors({ status: 400, code: 'unknown_helper', message: 'actions[0].text: unknown helper foo' })
        .actions,
    ).toEqual({ 0: 'Unknown helper foo' });
    expect(
      ruleErrors({
        status: 400,
        code: 'invalid_business_hours',
        message: 'conditions.items[2]: tue: the range 18:00-18:00 is empty',
        details: { index: 2 },
      }).conditions,
    ).toEqual({ 2: 'Tue: the range 18:00-18:00 is empty' });
    expect(ruleErrors({ status: 400, code: 'invalid_regex', message: 'bad pattern' }).conditions).toEqual({
      [-1]: 'Bad pattern',
    });
  });

  it('places field errors next to their field, the rest on the form', () => {
    expect(
      ruleErrors({ status: 400, code: 'invalid_name', message: 'name must not be blank' }),
    ).toMatchObject({
      fields: { name: 'Name must not be blank' },
    });
    const placed = ruleErrors({
      status: 400,
      code: 'validation_failed',
      message: 'Validation failed',
      details: [
        { field: 'priority', messages: ['priority must be an integer number'] },
        { field: 'actions', messages: ['actions must contain at least 1 elements'] },
      ],
    });
    expect(placed).toMatchObject({
      fields: { priority: 'Priority must be an integer number' },
      actions: { [-1]: 'Actions must contain at least 1 elements' },
    });
    expect(ruleErrors({ status: 403, code: 'plan_limit_exceeded', message: 'Too many rules' }).form).toBe(
      'Too many rules',
    );
  });

  it('summarises rules for the list', () => {
    expect(ruleSummary(rule.conditions)).toBe(
      'text has one of the words "price, cost" or any chat or contact has none of vip or outside business hours (UTC) or first message',
    );
    expect(ruleSummary({ mode: 'all', items: [] })).toBe('every message');
    expect(rule.actions.map(actionSummary)).toEqual([
      'reply "Our prices: {{contact.name}}"',
      'reply with media',
      'POST https://example.com/hook',
      'tag +lead',
      'hand off for 30 min',
    ]);
  });
});
