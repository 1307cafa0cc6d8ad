import { DomainError } from '@wwb/runtime';
import { compileDraft, draftError, evaluateWithDraft, NEW_DRAFT_ID } from './draft-rule.policy';
import { checkRuleDefinition } from '../rule-definition.policy';
import { compileRule, InboundFacts } from '../rule-engine.policy';
import { Condition, Rule, RuleDefinition } from '../rule.model';

const contains = (value: string): Condition => ({ type: 'text', op: 'contains', value });

const definition = (over: Partial<RuleDefinition> = {}): RuleDefinition => ({
  name: 'draft',
  priority: 100,
  enabled: true,
  stopOnMatch: true,
  connectionIds: [],
  conditions: { mode: 'all', items: [] },
  actions: [{ type: 'reply', text: 'hi' }],
  cooldownSeconds: 0,
  ...over,
});

const saved = (id: string, over: Partial<RuleDefinition> = {}) =>
  compileRule({
    ...definition({ name: id, ...over }),
    id,
    accountId: 'acc_1',
    createdAt: new Date(0),
    updatedAt: new Date(0),
  } as Rule);

const facts = (text: string): InboundFacts => ({
  connectionId: 'con_A',
  text,
  messageType: 'text',
  chatType: 'direct',
  contactTags: [],
  firstMessage: false,
});
const NOW = new Date('2026-06-15T08:00:00Z');

describe('dry run with a draft', () => {
  const prices = saved('ar_0001', { priority: 10, conditions: { mode: 'all', items: [contains('price')] } });
  const hello = saved('ar_0002', { priority: 20, conditions: { mode: 'all', items: [contains('hello')] } });

  it('evaluates the draft in place of the saved rule it replaces, at its new priority', () => {
    const draft = compileDraft(
      definition({ name: 'Prices v2', priority: 30, conditions: { mode: 'all', items: [contains('cost')] } }),
      prices.id,
    );
    const result = evaluateWithDraft([prices, hello], draft, facts('price? cost? hello'), NOW);
    expect(result.evaluated).toEqual([
      { ruleId: hello.id, name: hello.name, matched: true, reasons: ["text contains 'hello'"] },
    ]);
    expect(result.matched).toEqual([{ rule: hello, draft: false }]);

    const cost = evaluateWithDraft([prices, hello], draft, facts('what does it cost'), NOW);
    expect(cost.evaluated.map((o) => [o.ruleId, o.matched, o.draft])).toEqual([
      [hello.id, false, undefined],
      [prices.id, true, true],
    ]);
    expect(cost.matched).toEqual([{ rule: draft, draft: true }]);
  });

  it('adds a new draft to the saved rules, after them at equal priority', () => {
    const draft = compileDraft(definition({ priority: 20, stopOnMatch: false }), undefined);
    expect(draft.id).toBe(NEW_DRAFT_ID);
    const result = evaluateWithDraft([prices, hello], draft, facts('hello'), NOW);
    expect(result.evaluated.map((o) => [o.ruleId, o.matched, o.draft ?? false])).toEqual([
      [prices.id, false, false],
      [hello.id, true, false],
    ]); // hello stops the evaluation: the draft at the same priority comes after it
    const first = compileDraft(definition({ priority: 1 }), undefined);
    expect(evaluateWithDraft([prices, hello], first, facts('hello'), NOW).evaluated).toEqual([
      {
        ruleId: NEW_DRAFT_ID,
        name: 'draft',
        matched: true,
        reasons: ['no conditions: always matches'],
        draft: true,
      },
    ]);
  });

  it('does not evaluate a disabled draft, nor one for other connections; the saved rule it replaces is gone', () => {
    for (const over of [{ enabled: false }, { connectionIds: ['con_B'] }]) {
      const draft = compileDraft(definition({ ...over, priority: 1 }), prices.id);
      const result = evaluateWithDraft([prices, hello], draft, facts('price'), NOW);
      expect(result.evaluated.map((o) => o.ruleId)).toEqual([hello.id]);
      expect(result.matched).toEqual([]);
    }
  });

  it('without a draft evaluates the saved rules alone, and never changes the list it is given', () => {
    const list = [prices, hello];
    const result = evaluateWithDraft(list, undefined, facts('price'), NOW);
    expect(result.matched).toEqual([{ rule: prices, draft: false }]);
    evaluateWithDraft(list, compileDraft(definition(), prices.id), facts('price'), NOW);
    expect(list).toEqual([prices, hello]);
  });
});

describe('errors about a draft', () => {
  const caught = (fn: () => unknown): DomainError => {
    try {
      fn();
    } catch (err) {
      return draftError(err) as DomainError;
    }
    throw new Error('no error');
  };
  const input = (over: Record<string, unknown>) => ({
    name: 'x',
    actions: [{ type: 'reply', text: 'hi' }],
    ...over,
  });

  it('keep the code and name the draft part in the message and details.field', () => {
    const regex = caught(() =>
      checkRuleDefinition(
        input({
          conditions: { mode: 'all', items: [contains('a'), { type: 'text', op: 'regex', value: '(?<=x)' }] },
        }),
      ),
    );
    expect(regex.code).toBe('invalid_regex');
    expect(regex.details).toMatchObject({ index: 1, field: 'draft.conditions.items[1]' });
    const condition = caught(() =>
      checkRuleDefinition(input({ conditions: { mode: 'all', items: [{ type: 'text', op: 'contains' }] } })),
    );
    expect(condition).toMatchObject({
      code: 'invalid_condition',
      details: { index: 0, field: 'draft.conditions.items[0]' },
    });
    expect(condition.message).toMatch(/^draft\.conditions\.items\[0\]: text condition/);
    const name = caught(() => checkRuleDefinition(input({ name: '  ' })));
    expect(name).toMatchObject({
      code: 'invalid_name',
      message: 'draft: name must not be blank',
      details: { field: 'draft.name' },
    });
    const action = caught(() => checkRuleDefinition(input({ actions: [{ type: 'teleport' }] })));
    expect(action.details).toMatchObject({ index: 0, field: 'draft.actions[0]' });
  });

  it('keep list details under items; pass other errors through', () => {
    const listed = draftError(
      DomainError.invalid('template_not_found', 'template tpl_1 not found', [{ templateId: 'tpl_1' }]),
    );
    expect(listed).toMatchObject({ details: { items: [{ templateId: 'tpl_1' }], field: 'draft.actions' } });
    const text = draftError(
      DomainError.invalid('unknown_helper', 'actions[1].text: unknown helper shout', { index: 1 }),
    );
    expect(text).toMatchObject({
      message: 'draft.actions[1].text: unknown helper shout',
      details: { field: 'draft.actions[1].text' },
    });
    const notFound = DomainError.notFound('Template');
    expect(draftError(notFound)).toBe(notFound);
    const bug = new Error('boom');
    expect(draftError(bug)).toBe(bug);
  });
});
