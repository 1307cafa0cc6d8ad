import {
  AUTOMATION_TEST_ENV,
  AutomationDriver,
  chatOf,
  Json,
  ruleCacheCatchUp,
} from './support/automation-stack';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

const contains = (value: string) => ({ type: 'text', op: 'contains', value });
const when = (...items: Json[]) => ({ mode: 'all', items });
const reply = (text: string) => ({ type: 'reply', text });

interface Outcome {
  ruleId: string;
  name: string;
  matched: boolean;
  reasons: string[];
  draft?: boolean;
}
interface Match {
  ruleId: string;
  name: string;
  draft?: boolean;
  actions: { rendered?: { text: string } }[];
}

/**
 * POST /v1/auto-replies/test with a `draft`: the unsaved rule is evaluated with the saved ones (in
 * place of `draftOf`, or added), is checked like a save, and nothing is saved: the API's dry runs
 * and a real inbound message through the worker still follow the saved rules.
 */
describe('auto-reply dry run of an unsaved draft (e2e)', () => {
  let s: MessagingStack;
  let a: AutomationDriver;
  let key: string;
  let otherKey: string;
  let prices: Json;
  let hello: Json;

  const dryRun = (body: Json, k = key) =>
    s.http
      .post('/v1/auto-replies/test')
      .set(auth(k))
      .send({ connectionId: a.connectionId, from: '+15551250099', ...body });
  const outcomes = (body: Json): [string, boolean, boolean][] =>
    (body.evaluated as Outcome[]).map((o) => [o.name, o.matched, o.draft === true]);

  beforeAll(async () => {
    s = await MessagingStack.start(AUTOMATION_TEST_ENV);
    await s.startWorker();
    await s.stack.startGateway();
    key = (await s.stack.account()).key;
    otherKey = (await s.stack.account()).key;
    a = new AutomationDriver(s, key, await s.readyConnection(key, '+15551250001'));
    prices = await a.rule({
      name: 'Prices',
      priority: 10,
      conditions: when(contains('price')),
      actions: [reply('Saved: our prices are on example.com')],
    });
    hello = await a.rule({
      name: 'Hello',
      priority: 20,
      conditions: when(contains('hello')),
      actions: [reply('Saved: hello {{contact.phone}}')],
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('evaluates the draft in place of the saved rule, at its new priority, marked as the draft', async () => {
    const draft = {
      name: 'Prices (edited)',
      priority: 30,
      conditions: when(contains('cost')),
      actions: [reply('Draft: it costs {{contact.phone}}')],
    };
    const cost = await dryRun({ text: 'hello, what does it cost?', draft, draftOf: prices.id }).expect(200);
    // Hello (20) now comes first and stops the evaluation: the draft moved behind it
    expect(outcomes(cost.body)).toEqual([['Hello', true, false]]);

    const alone = await dryRun({ text: 'what does it cost?', draft, draftOf: prices.id }).expect(200);
    expect(alone.body.evaluated as Outcome[]).toEqual([
      { ruleId: hello.id, name: 'Hello', matched: false, reasons: ["text does not contain 'hello'"] },
      {
        ruleId: prices.id,
        name: 'Prices (edited)',
        matched: true,
        reasons: ["text contains 'cost'"],
        draft: true,
      },
    ]);
    expect(alone.body.matched as Match[]).toEqual([
      {
        ruleId: prices.id,
        name: 'Prices (edited)',
        draft: true,
        actions: [
          expect.objectContaining({
            type: 'reply',
            rendered: { text: 'Draft: it costs +15551250099' },
          }),
        ],
      },
    ]);

    // the saved text no longer matches the rule being edited
    const price = await dryRun({ text: 'the price?', draft, draftOf: prices.id }).expect(200);
    expect(outcomes(price.body)).toEqual([
      ['Hello', false, false],
      ['Prices (edited)', false, true],
    ]);
    // a disabled draft is not evaluated, as it would not be once saved; nor is the saved rule it replaces
    const off = await dryRun({
      text: 'the price?',
      draft: { ...draft, conditions: when(contains('price')), enabled: false },
      draftOf: prices.id,
    }).expect(200);
    expect(outcomes(off.body)).toEqual([['Hello', false, false]]);
  });

  it('adds a draft without draftOf as a new rule (id "draft"), evaluated with every saved rule', async () => {
    const res = await dryRun({
      text: 'hello, the price?',
      draft: { name: 'Greeting', priority: 5, stopOnMatch: false, actions: [reply('Draft: welcome')] },
    }).expect(200);
    expect(outcomes(res.body)).toEqual([
      ['Greeting', true, true],
      ['Prices', true, false],
    ]);
    expect((res.body.matched as Match[]).map((m) => [m.ruleId, m.actions[0]?.rendered?.text])).toEqual([
      ['draft', 'Draft: welcome'],
      [prices.id, 'Saved: our prices are on example.com'],
    ]);
    expect((res.body.matched as Match[])[1]).not.toHaveProperty('draft');
  });

  it('refuses an invalid draft with the codes of a save, naming draft.<field>', async () => {
    const expectRefused = async (body: Json, code: string, field: string) => {
      const res = await dryRun({ text: 'x', ...body });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
      const fields =
        code === 'validation_failed'
          ? (res.body.details as { field: string }[]).map((d) => d.field)
          : [(res.body.details as { field: string }).field];
      expect(fields).toContain(field);
      return res.body as { message: string; details: Json };
    };
    const ok = { name: 'Draft', actions: [reply('hi')] };
    await expectRefused({ draft: { actions: [reply('hi')] } }, 'validation_failed', 'draft.name');
    await expectRefused({ draft: { ...ok, actions: [] } }, 'validation_failed', 'draft.actions');
    await expectRefused({ draft: { ...ok, colour: 'blue' } }, 'validation_failed', 'draft.colour');
    await expectRefused({ draftOf: prices.id }, 'validation_failed', 'draft');
    await expectRefused({ draft: { ...ok, name: '  ' } }, 'invalid_name', 'draft.name');
    const regex = await expectRefused(
      {
        draft: {
          ...ok,
          conditions: when(contains('a'), { type: 'text', op: 'regex', value: '(?<=x)y' }),
        },
      },
      'invalid_regex',
      'draft.conditions.items[1]',
    );
    expect(regex.message).toMatch(/^draft\.conditions\.items\[1\]: invalid regex: error parsing regexp/);
    await expectRefused(
      {
        draft: {
          ...ok,
          conditions: when({
            type: 'businessHours',
            inside: true,
            hours: { timeZone: 'Europe/Berlin', weekly: { mon: [{ from: '18:00', to: '18:00' }] } },
          }),
        },
      },
      'invalid_business_hours',
      'draft.conditions.items[0]',
    );
    await expectRefused(
      { draft: { ...ok, conditions: when({ type: 'sentiment', is: 'angry' }) } },
      'unknown_condition_type',
      'draft.conditions.items[0]',
    );
    await expectRefused(
      { draft: { ...ok, actions: [reply('ok'), { type: 'http', url: 'http://169.254.169.254/x' }] } },
      'http_url_forbidden',
      'draft.actions[1]',
    );
    await expectRefused(
      { draft: { ...ok, actions: [reply('Order {{orderId}}')] } },
      'undeclared_variable',
      'draft.actions[0].text',
    );
    await expectRefused(
      { draft: { ...ok, actions: [{ type: 'reply', templateId: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }] } },
      'template_not_found',
      'draft.actions',
    );
    await expectRefused(
      { draft: { ...ok, connectionIds: ['con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'] } },
      'unknown_connection',
      'draft.connectionIds',
    );
  });

  it("draftOf unknown, or another account's rule, is 404; a restricted key's draft stays in its scope", async () => {
    const draft = { name: 'Draft', actions: [reply('hi')] };
    await dryRun({ text: 'x', draft, draftOf: 'ar_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }).expect(404);
    await dryRun({ text: 'x', draft, draftOf: 'nope' }).expect(404);
    const theirs = await s.http
      .post('/v1/auto-replies')
      .set(auth(otherKey))
      .send({ name: 'Theirs', actions: [reply('secret')] })
      .expect(201);
    const res = await dryRun({ text: 'x', draft, draftOf: theirs.body.id }).expect(404);
    expect(res.body.code).toBe('not_found');

    const restricted = (
      await s.http
        .post('/v1/api-keys')
        .set(auth(key))
        .send({ name: 'only-this-line', connectionIds: [a.connectionId] })
        .expect(201)
    ).body.key as string;
    const wide = await dryRun({ text: 'x', draft }, restricted).expect(403);
    expect(wide.body.code).toBe('forbidden_scope');
    // Prices serves every connection: out of the restricted key's reach, as for GET and PATCH
    await dryRun(
      { text: 'x', draft: { ...draft, connectionIds: [a.connectionId] }, draftOf: prices.id },
      restricted,
    ).expect(404);
    const scoped = await dryRun(
      { text: 'x', draft: { ...draft, priority: 1, connectionIds: [a.connectionId] } },
      restricted,
    ).expect(200);
    expect(outcomes(scoped.body)[0]).toEqual(['Draft', true, true]);
  });

  it('saves nothing: the rules, the dry run without a draft and a real inbound message follow the saved rules', async () => {
    const edited = { name: 'Prices (edited)', priority: 1, actions: [reply('Draft: never sent')] };
    await dryRun({ text: 'price', draft: edited, draftOf: prices.id }).expect(200);
    await dryRun({ text: 'price', draft: edited }).expect(200);

    const list = await s.http.get('/v1/auto-replies').set(auth(key)).expect(200);
    expect((list.body.data as Json[]).map((r) => [r.name, r.priority])).toEqual([
      ['Prices', 10],
      ['Hello', 20],
    ]);
    const plain = await dryRun({ text: 'the price?' }).expect(200);
    expect(outcomes(plain.body)).toEqual([['Prices', true, false]]);
    expect(plain.body.matched[0].actions[0].rendered.text).toBe('Saved: our prices are on example.com');

    await ruleCacheCatchUp();
    const customer = '+15551250002';
    await a.inbound(customer, 'what is the price?');
    const [sent] = await a.waitOutgoing(chatOf(customer), 1);
    expect(sent).toMatchObject({ body: 'Saved: our prices are on example.com', source: 'auto_reply' });
    await a.waitHandled(chatOf(customer), 1);
    expect((await a.outgoing(chatOf(customer))).map((m) => m.body)).toEqual([
      'Saved: our prices are on example.com',
    ]);
  });
});
