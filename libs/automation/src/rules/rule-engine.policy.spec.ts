import { compileRule, evaluateRules, InboundFacts } from './rule-engine.policy';
import { Condition, Rule } from './rule.model';

let seq = 0;
const rule = (over: Partial<Rule> & { items?: Condition[]; mode?: 'all' | 'any' } = {}): Rule => {
  const { items = [], mode = 'all', ...rest } = over;
  seq++;
  return {
    id: `ar_${String(seq).padStart(4, '0')}`,
    accountId: 'acc_1',
    name: `rule ${seq}`,
    priority: 100,
    enabled: true,
    stopOnMatch: true,
    connectionIds: [],
    conditions: { mode, items },
    actions: [{ type: 'reply', text: 'hi' }],
    cooldownSeconds: 0,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...rest,
  };
};

const facts = (over: Partial<InboundFacts> = {}): InboundFacts => ({
  connectionId: 'con_A',
  text: 'hello',
  messageType: 'text',
  chatType: 'direct',
  contactTags: [],
  firstMessage: false,
  ...over,
});

const NOW = new Date('2026-06-13T08:15:00Z'); // Saturday 10:15 in Berlin
const contains = (value: string): Condition => ({ type: 'text', op: 'contains', value });

describe('rule engine', () => {
  it('evaluates in ascending priority and stops at the first match with stopOnMatch', () => {
    const low = compileRule(rule({ priority: 10, items: [contains('price')], name: 'price' }));
    const high = compileRule(rule({ priority: 20, items: [contains('hello')], name: 'hello' }));
    const last = compileRule(rule({ priority: 30, name: 'always' }));
    const result = evaluateRules([last, high, low], facts({ text: 'hello, the price?' }), NOW);
    expect(result.evaluated).toEqual([
      { ruleId: low.id, name: 'price', matched: true, reasons: ["text contains 'price'"] },
    ]);
    expect(result.matched).toEqual([low]);

    const other = evaluateRules([last, high, low], facts({ text: 'hello' }), NOW);
    expect(other.evaluated.map((e) => [e.name, e.matched])).toEqual([
      ['price', false],
      ['hello', true],
    ]);
    expect(other.evaluated[0]!.reasons).toEqual(["text does not contain 'price'"]);
  });

  it('goes on after a match without stopOnMatch; equal priorities are ordered by id', () => {
    const a = compileRule(rule({ priority: 5, stopOnMatch: false, name: 'a' }));
    const b = compileRule(rule({ priority: 5, stopOnMatch: false, name: 'b' }));
    const c = compileRule(rule({ priority: 7, name: 'c' }));
    const d = compileRule(rule({ priority: 9, name: 'd' }));
    const result = evaluateRules([d, c, b, a], facts(), NOW);
    expect(result.matched.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(result.evaluated.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(result.evaluated[0]!.reasons).toEqual(['no conditions: always matches']);
  });

  it('skips disabled rules and rules of other connections', () => {
    const off = compileRule(rule({ priority: 1, enabled: false }));
    const elsewhere = compileRule(rule({ priority: 2, connectionIds: ['con_B'] }));
    const here = compileRule(rule({ priority: 3, connectionIds: ['con_A', 'con_B'] }));
    const result = evaluateRules([off, elsewhere, here], facts(), NOW);
    expect(result.evaluated.map((e) => e.ruleId)).toEqual([here.id]);
    expect(off.serves('con_A')).toBe(false);
    expect(elsewhere.serves('con_A')).toBe(false);
  });

  it('all vs any', () => {
    const all = compileRule(rule({ items: [contains('a'), contains('b')] }));
    const any = compileRule(rule({ mode: 'any', items: [contains('a'), contains('b')] }));
    expect(evaluateRules([all], facts({ text: 'b only' }), NOW).evaluated[0]).toMatchObject({
      matched: false,
      reasons: ["text does not contain 'a'"],
    });
    expect(evaluateRules([any], facts({ text: 'b only' }), NOW).evaluated[0]).toMatchObject({
      matched: true,
      reasons: ["text does not contain 'a'", "text contains 'b'"],
    });
    expect(evaluateRules([any], facts({ text: 'none' }), NOW).evaluated[0]!.matched).toBe(false);
    expect(evaluateRules([all], facts({ text: 'a and b' }), NOW).evaluated[0]!.matched).toBe(true);
  });

  it('message type, first message and contact tags', () => {
    const image = compileRule(rule({ items: [{ type: 'messageType', in: ['image', 'video'] }] }));
    expect(evaluateRules([image], facts({ messageType: 'image' }), NOW).matched).toHaveLength(1);
    expect(evaluateRules([image], facts(), NOW).evaluated[0]!.reasons).toEqual([
      "message type 'text' is not one of 'image', 'video'",
    ]);
    const first = compileRule(rule({ items: [{ type: 'firstMessage' }] }));
    expect(evaluateRules([first], facts({ firstMessage: true }), NOW).matched).toHaveLength(1);
    expect(evaluateRules([first], facts(), NOW).evaluated[0]!.reasons).toEqual([
      'not the first message of the conversation',
    ]);
    const tag = (op: 'hasAny' | 'hasAll' | 'hasNone') =>
      compileRule(rule({ items: [{ type: 'contactTag', op, tags: ['vip', 'de'] }] }));
    const run = (op: 'hasAny' | 'hasAll' | 'hasNone', tags: string[]) =>
      evaluateRules([tag(op)], facts({ contactTags: tags }), NOW).matched.length === 1;
    expect(run('hasAny', ['de'])).toBe(true);
    expect(run('hasAny', ['fr'])).toBe(false);
    expect(run('hasAll', ['de', 'vip', 'x'])).toBe(true);
    expect(run('hasAll', ['de'])).toBe(false);
    expect(run('hasNone', ['fr'])).toBe(true);
    expect(run('hasNone', ['vip'])).toBe(false);
    expect(evaluateRules([tag('hasAll')], facts({ contactTags: ['de'] }), NOW).evaluated[0]!.reasons).toEqual(
      ["contact does not have all of the tags 'vip', 'de'"],
    );
  });

  it('skips groups unless a chatType condition includes group', () => {
    const plain = compileRule(rule({ priority: 1, name: 'plain' }));
    const groups = compileRule(
      rule({ priority: 2, name: 'groups', items: [{ type: 'chatType', in: ['group'] }] }),
    );
    const directOnly = compileRule(rule({ priority: 3, items: [{ type: 'chatType', in: ['direct'] }] }));
    const g = evaluateRules([plain, groups, directOnly], facts({ chatType: 'group' }), NOW);
    expect(g.evaluated[0]).toMatchObject({ matched: false });
    expect(g.evaluated[0]!.reasons[0]).toMatch(/group chat: skipped/);
    expect(g.matched.map((r) => r.name)).toEqual(['groups']);
    const d = evaluateRules([groups, directOnly], facts(), NOW);
    expect(d.evaluated[0]!.reasons).toEqual(["chat type 'direct' is not one of 'group'"]);
    expect(d.matched).toEqual([directOnly]);
  });

  it('business hours inside / outside, explained with the local time', () => {
    const hours = {
      timeZone: 'Europe/Berlin',
      weekly: { mon: [{ from: '09:00', to: '17:00' }], sat: [{ from: '10:00', to: '12:00' }] },
    };
    const away = compileRule(rule({ items: [{ type: 'businessHours', inside: false, hours }] }));
    const open = compileRule(rule({ items: [{ type: 'businessHours', inside: true, hours }] }));
    expect(evaluateRules([away, open], facts(), NOW).evaluated).toEqual([
      {
        ruleId: away.id,
        name: away.name,
        matched: false,
        reasons: ['inside business hours (Europe/Berlin, Sat 10:15)'],
      },
      {
        ruleId: open.id,
        name: open.name,
        matched: true,
        reasons: ['inside business hours (Europe/Berlin, Sat 10:15)'],
      },
    ]);
    const later = new Date('2026-06-13T10:15:00Z');
    expect(evaluateRules([away], facts(), later).evaluated[0]).toMatchObject({
      matched: true,
      reasons: ['outside business hours (Europe/Berlin, Sat 12:15)'],
    });
  });

  it('200 plain text rules evaluate in well under a millisecond per message', () => {
    const rules = Array.from({ length: 200 }, (_, i) =>
      compileRule(
        rule({
          priority: i,
          mode: i % 2 ? 'any' : 'all',
          items: [
            { type: 'text', op: i % 3 ? 'contains' : 'keywords', values: [`word${i}`, `other${i}`] },
            { type: 'text', op: 'startsWith', value: `start${i}` },
          ],
        }),
      ),
    );
    const texts = Array.from(
      { length: 50 },
      (_, i) => `Hello there, this is message number ${i} about nothing`,
    );
    for (const text of texts) evaluateRules(rules, facts({ text }), NOW); // warm up
    const rounds = 2000;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) {
      const result = evaluateRules(rules, facts({ text: texts[i % texts.length]! }), NOW);
      if (result.evaluated.length !== 200) throw new Error('not all rules were evaluated');
    }
    const perMessageMs = (performance.now() - started) / rounds;
    expect(perMessageMs).toBeLessThan(1);
  });
});
