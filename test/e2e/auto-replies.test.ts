import { waitFor } from '@wwb/testing';
import { auth, ConnectionsStack } from './support/connections-stack';

jest.setTimeout(120_000);

/** /v1/auto-replies over HTTP against the real API, FerretDB and Kafka (no gateway: nothing is sent). */
describe('auto-replies (e2e)', () => {
  let stack: ConnectionsStack;
  let key: string;
  let otherKey: string;
  let connectionId: string;
  let otherConnectionId: string;

  const post = (path: string, body: unknown, k = key) =>
    stack.http
      .post(path)
      .set(auth(k))
      .send(body as object);
  const reply = (text: string) => ({ type: 'reply', text });
  const rule = (over: Record<string, unknown> = {}) => ({ name: 'rule', actions: [reply('hi')], ...over });
  const create = (body: unknown, k = key) => post('/v1/auto-replies', body, k);
  const dryRun = (body: Record<string, unknown>, k = key) =>
    post('/v1/auto-replies/test', { connectionId, from: '+4915112345678', ...body }, k);
  const createdIds: string[] = [];
  const createOk = async (body: unknown) => {
    const res = await create(body).expect(201);
    createdIds.push(res.body.id as string);
    return res.body as { id: string } & Record<string, unknown>;
  };
  /** Deletes the rules created so far, so that each test's dry runs see only their own rules. */
  const clearRules = async () => {
    for (const id of createdIds.splice(0)) await stack.http.delete(`/v1/auto-replies/${id}`).set(auth(key));
  };

  beforeAll(async () => {
    stack = await ConnectionsStack.start();
    key = (await stack.account('professional')).key;
    otherKey = (await stack.account('professional')).key;
    connectionId = (await post('/v1/connections', { name: 'support' }).expect(201)).body.id as string;
    otherConnectionId = (await post('/v1/connections', { name: 'sales' }).expect(201)).body.id as string;
  });
  afterAll(() => stack?.close());
  afterEach(clearRules);

  it('creates with defaults, reads, lists in priority order with a cursor, changes and deletes', async () => {
    const a = await createOk(rule({ name: 'Prices', priority: 20 }));
    expect(a).toMatchObject({
      id: expect.stringMatching(/^ar_[0-9A-Z]{26}$/),
      name: 'Prices',
      priority: 20,
      enabled: true,
      stopOnMatch: true,
      connectionIds: [],
      conditions: { mode: 'all', items: [] },
      actions: [{ type: 'reply', text: 'hi' }],
      cooldownSeconds: 0,
    });
    const b = await createOk(
      rule({ name: 'First', priority: 5, connectionIds: [connectionId], cooldownSeconds: 60 }),
    );
    const c = await createOk(rule({ name: 'Tie', priority: 20 }));
    const got = await stack.http.get(`/v1/auto-replies/${b.id}`).set(auth(key)).expect(200);
    expect(got.body).toMatchObject({ name: 'First', connectionIds: [connectionId], cooldownSeconds: 60 });

    const page1 = await stack.http.get('/v1/auto-replies?limit=2').set(auth(key)).expect(200);
    expect(page1.body.data.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await stack.http
      .get(`/v1/auto-replies?limit=2&cursor=${page1.body.nextCursor as string}`)
      .set(auth(key))
      .expect(200);
    expect(page2.body).toEqual({ data: [expect.objectContaining({ id: c.id })], nextCursor: null });
    const bad = await stack.http.get('/v1/auto-replies?cursor=bm9wZQ').set(auth(key)).expect(400);
    expect(bad.body.code).toBe('invalid_cursor');

    const patched = await stack.http
      .patch(`/v1/auto-replies/${a.id}`)
      .set(auth(key))
      .send({ priority: 1, enabled: false, conditions: { mode: 'any', items: [{ type: 'firstMessage' }] } })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: 'Prices',
      priority: 1,
      enabled: false,
      conditions: { mode: 'any', items: [{ type: 'firstMessage' }] },
      actions: [{ type: 'reply', text: 'hi' }],
    });
    expect(new Date(patched.body.updatedAt as string).getTime()).toBeGreaterThanOrEqual(
      new Date(patched.body.createdAt as string).getTime(),
    );

    await stack.http.delete(`/v1/auto-replies/${a.id}`).set(auth(key)).expect(204);
    await stack.http.get(`/v1/auto-replies/${a.id}`).set(auth(key)).expect(404);
    await stack.http.delete(`/v1/auto-replies/${a.id}`).set(auth(key)).expect(404);
  });

  it('refuses bad input with a 400 and its code', async () => {
    const expectCode = async (body: unknown, code: string) => {
      const res = await create(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
      return res.body as { message: string; details?: unknown };
    };
    const cond = (c: unknown) => rule({ conditions: { mode: 'all', items: [c] } });
    const regex = await expectCode(cond({ type: 'text', op: 'regex', value: '(?<=x)y' }), 'invalid_regex');
    expect(regex.message).toMatch(/error parsing regexp/);
    await expectCode(cond({ type: 'text', op: 'regex', value: '(\\w+)\\1' }), 'invalid_regex');
    await expectCode(cond({ type: 'sentiment', is: 'angry' }), 'unknown_condition_type');
    await expectCode(cond({ type: 'text', op: 'contains' }), 'invalid_condition');
    const hours = (h: unknown) => cond({ type: 'businessHours', inside: true, hours: h });
    await expectCode(hours({ timeZone: 'Europe/Atlantis', weekly: {} }), 'invalid_time_zone');
    await expectCode(
      hours({ timeZone: 'Europe/Berlin', weekly: { mon: [{ from: '18:00', to: '18:00' }] } }),
      'invalid_business_hours',
    );
    await expectCode(
      rule({ actions: [{ type: 'reply', templateId: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }] }),
      'template_not_found',
    );
    await expectCode(
      rule({ actions: [{ type: 'askFaq', botId: 'faq_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }] }),
      'faq_bot_not_found',
    );
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'http://10.0.0.7/hook',
      'http://localhost/hook',
    ]) {
      await expectCode(rule({ actions: [{ type: 'http', url }] }), 'http_url_forbidden');
    }
    await expectCode(rule({ actions: [{ type: 'http', url: 'gopher://example.com/' }] }), 'invalid_http_url');
    await expectCode(rule({ actions: [{ type: 'teleport' }] }), 'unknown_action_type');
    await expectCode(
      rule({ actions: [{ type: 'reply', text: 'a', templateId: 'tpl_x' }] }),
      'invalid_action',
    );
    await expectCode(rule({ connectionIds: ['con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'] }), 'unknown_connection');
    const undeclared = await create(rule({ actions: [reply('Order {{orderId}} shipped')] })).expect(400);
    expect(undeclared.body.code).toBe('undeclared_variable');
    expect(undeclared.body.message).toMatch(/orderId/);
    await expectCode(rule({ actions: [reply('{{shout contact.name}}')] }), 'unknown_helper');
    await expectCode(rule({ actions: [] }), 'validation_failed');
    await expectCode({ ...rule(), colour: 'blue' }, 'validation_failed');
    // a well-formed http target on a public name is accepted (checked again when called)
    await createOk(
      rule({ actions: [{ type: 'http', url: 'https://hooks.example.com/x', headers: { 'X-Token': 'a' } }] }),
    );
    const list = await stack.http.get('/v1/auto-replies').set(auth(key)).expect(200);
    expect(list.body.data).toHaveLength(1); // nothing refused was stored
  });

  it('dry run: evaluated rules with reasons, matches in priority order, rendered replies, nothing sent', async () => {
    const contact = await post('/v1/contacts', {
      phone: '+4915112345678',
      name: 'Ada',
      tags: ['vip'],
    }).expect(201);
    const hours = { timeZone: 'Europe/Berlin', weekly: { mon: [{ from: '09:00', to: '17:00' }] } };
    const price = await createOk(
      rule({
        name: 'Prices',
        priority: 10,
        stopOnMatch: false,
        conditions: { mode: 'all', items: [{ type: 'text', op: 'keywords', values: ['precio', 'price'] }] },
        actions: [
          reply('Hi {{contact.name}}, our prices: example.com/prices'),
          { type: 'tag', add: ['asked-price'] },
        ],
      }),
    );
    const away = await createOk(
      rule({
        name: 'Away',
        priority: 20,
        conditions: {
          mode: 'all',
          items: [
            { type: 'businessHours', inside: false, hours },
            { type: 'contactTag', op: 'hasAny', tags: ['vip'] },
          ],
        },
        actions: [reply('We are closed, {{contact.name}}.')],
      }),
    );
    await createOk(rule({ name: 'Never reached', priority: 30 }));
    await createOk(rule({ name: 'Disabled', priority: 1, enabled: false }));
    await createOk(rule({ name: 'Other line', priority: 2, connectionIds: [otherConnectionId] }));

    // Saturday 2026-06-13 10:15 in Berlin
    const res = await dryRun({
      text: '¿Cuál es el PRECIO?',
      contactId: contact.body.id,
      at: '2026-06-13T08:15:00Z',
    }).expect(200);
    expect(res.body.evaluated).toEqual([
      {
        ruleId: price.id,
        name: 'Prices',
        matched: true,
        reasons: ["text has one of the keywords 'precio', 'price'"],
      },
      {
        ruleId: away.id,
        name: 'Away',
        matched: true,
        reasons: ['outside business hours (Europe/Berlin, Sat 10:15)', "contact has one of the tags 'vip'"],
      },
    ]);
    expect(res.body.matched).toEqual([
      {
        ruleId: price.id,
        name: 'Prices',
        actions: [
          {
            type: 'reply',
            action: { type: 'reply', text: 'Hi {{contact.name}}, our prices: example.com/prices' },
            rendered: { text: 'Hi Ada, our prices: example.com/prices' },
          },
          { type: 'tag', action: { type: 'tag', add: ['asked-price'] } },
        ],
      },
      {
        ruleId: away.id,
        name: 'Away',
        actions: [expect.objectContaining({ rendered: { text: 'We are closed, Ada.' } })],
      },
    ]);

    // Monday 10:00 in Berlin, tags given instead of a contact: Away does not match, Never reached does
    const open = await dryRun({ text: 'hello', tags: ['vip'], at: '2026-06-15T08:00:00Z' }).expect(200);
    expect(open.body.evaluated.map((e: { name: string; matched: boolean }) => [e.name, e.matched])).toEqual([
      ['Prices', false],
      ['Away', false],
      ['Never reached', true],
    ]);
    expect(open.body.evaluated[1].reasons).toEqual(['inside business hours (Europe/Berlin, Mon 10:00)']);

    // groups are skipped unless a rule asks for them
    const group = await dryRun({ text: 'price', chatType: 'group' }).expect(200);
    expect(group.body.matched).toEqual([]);

    // nothing was sent or changed: no outbound message, the contact keeps its tags
    expect(await stack.db.collection('messages').countDocuments({})).toBe(0);
    const after = await stack.http
      .get(`/v1/contacts/${contact.body.id as string}`)
      .set(auth(key))
      .expect(200);
    expect(after.body.tags).toEqual(['vip']);

    await dryRun({ text: 'x', connectionId: 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }).expect(404);
    await dryRun({ text: 'x', contactId: 'ct_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }).expect(404);
    await dryRun({ text: 'x', chatType: 'channel' }).expect(400);
  });

  it('a change is seen at once by this process and within about a second by another API process', async () => {
    const other = await stack.startExtraApi({});
    try {
      const r = await createOk(
        rule({
          name: 'Hello',
          conditions: { mode: 'all', items: [{ type: 'text', op: 'contains', value: 'hello' }] },
        }),
      );
      const matches = async (http: typeof stack.http) =>
        (
          (
            await http
              .post('/v1/auto-replies/test')
              .set(auth(key))
              .send({ connectionId, from: '1', text: 'hello' })
              .expect(200)
          ).body.matched as unknown[]
        ).length;
      expect(await matches(stack.http)).toBe(1);
      expect(await matches(other.http)).toBe(1); // cached there now
      await stack.http.patch(`/v1/auto-replies/${r.id}`).set(auth(key)).send({ enabled: false }).expect(200);
      expect(await matches(stack.http)).toBe(0);
      const started = Date.now();
      await waitFor(async () => ((await matches(other.http)) === 0 ? true : undefined), {
        timeoutMs: 5_000,
        intervalMs: 100,
        what: 'the other API process sees the change',
      });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await other.close();
    }
  });

  it('templates: a rule renders one, the template cannot be deleted while used (409 template_in_use)', async () => {
    const tpl = await post('/v1/templates', {
      name: 'shipping_info',
      language: 'en',
      category: 'utility',
      body: 'Hi {{default contact.name "there"}}, order {{orderId}} ships tomorrow.',
      variables: [{ name: 'orderId', example: 'A-1' }],
    }).expect(201);
    const r = await createOk(
      rule({
        name: 'Shipping',
        actions: [{ type: 'reply', templateId: tpl.body.id, variables: { orderId: 'B-42' } }],
      }),
    );
    const res = await dryRun({ text: 'where is my order?', from: '+4915199999999' }).expect(200);
    expect(res.body.matched[0].actions[0].rendered).toEqual({ text: 'Hi there, order B-42 ships tomorrow.' });

    const inUse = await stack.http
      .delete(`/v1/templates/${tpl.body.id as string}`)
      .set(auth(key))
      .expect(409);
    expect(inUse.body.code).toBe('template_in_use');
    expect(JSON.stringify(inUse.body.details)).toContain(r.id);

    // moving the rule off the template frees it
    await stack.http
      .patch(`/v1/auto-replies/${r.id}`)
      .set(auth(key))
      .send({ actions: [reply('plain')] })
      .expect(200);
    await stack.http
      .delete(`/v1/templates/${tpl.body.id as string}`)
      .set(auth(key))
      .expect(204);
  });

  it('askFaq: the bot must exist; the dry run shows its answer', async () => {
    const bot = await post('/v1/faq-bots', {
      name: 'Support FAQ',
      mode: 'rule_only',
      entries: [
        {
          questions: ['What are your opening hours?'],
          keywords: ['hours'],
          answer: { text: 'We open 9-17.' },
        },
        { questions: ['How do I reset my password?'], answer: { text: 'Use the reset link.' } },
      ],
    }).expect(201);
    await createOk(rule({ name: 'FAQ', actions: [{ type: 'askFaq', botId: bot.body.id }] }));
    const res = await dryRun({ text: 'what are your opening hours' }).expect(200);
    expect(res.body.matched[0].actions[0]).toMatchObject({
      type: 'askFaq',
      rendered: { text: 'We open 9-17.' },
    });
  });

  it('plan limit: a starter account holds 20 rules; deleting one frees its slot', async () => {
    const starter = (await stack.account('starter')).key;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push((await create(rule({ name: `r${i}` }), starter).expect(201)).body.id as string);
    const full = await create(rule(), starter).expect(403);
    expect(full.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'autoReplies', limit: 20 },
    });
    // a refused rule takes no slot either
    await create(rule({ actions: [{ type: 'teleport' }] }), starter).expect(400);
    await stack.http.delete(`/v1/auto-replies/${ids[0]!}`).set(auth(starter)).expect(204);
    await create(rule(), starter).expect(201);
    await create(rule(), starter).expect(403);
  });

  it("another account's rules, connections and contacts are 404 (or unknown)", async () => {
    const mine = await createOk(rule({ name: 'mine' }));
    await stack.http.get(`/v1/auto-replies/${mine.id}`).set(auth(otherKey)).expect(404);
    await stack.http.patch(`/v1/auto-replies/${mine.id}`).set(auth(otherKey)).send({ name: 'x' }).expect(404);
    await stack.http.delete(`/v1/auto-replies/${mine.id}`).set(auth(otherKey)).expect(404);
    const theirs = await stack.http.get('/v1/auto-replies').set(auth(otherKey)).expect(200);
    expect(theirs.body.data.map((r: { id: string }) => r.id)).not.toContain(mine.id);
    const cross = await create(rule({ connectionIds: [connectionId] }), otherKey).expect(400);
    expect(cross.body.code).toBe('unknown_connection');
    await dryRun({ text: 'hi' }, otherKey).expect(404);
    await stack.http.get(`/v1/auto-replies/${mine.id}`).set(auth(key)).expect(200);
  });

  it('a key restricted to some connections manages only rules limited to them (403 forbidden_scope, others 404)', async () => {
    const restricted = await post('/v1/api-keys', {
      name: 'only-support',
      connectionIds: [connectionId],
    }).expect(201);
    const rKey = restricted.body.key as string;
    const mine = await create(rule({ name: 'support only', connectionIds: [connectionId] }), rKey).expect(
      201,
    );
    createdIds.push(mine.body.id as string);
    for (const connectionIds of [undefined, [], [otherConnectionId], [connectionId, otherConnectionId]]) {
      const refused = await create(rule({ connectionIds }), rKey).expect(403);
      expect(refused.body.code).toBe('forbidden_scope');
    }
    const widen = await stack.http
      .patch(`/v1/auto-replies/${mine.body.id as string}`)
      .set(auth(rKey))
      .send({ connectionIds: [] });
    expect(widen.status).toBe(403);

    // The account's rule for every connection is invisible to the restricted key.
    const wide = await createOk(rule({ name: 'everywhere' }));
    await stack.http.get(`/v1/auto-replies/${wide.id}`).set(auth(rKey)).expect(404);
    await stack.http.patch(`/v1/auto-replies/${wide.id}`).set(auth(rKey)).send({ name: 'x' }).expect(404);
    await stack.http.delete(`/v1/auto-replies/${wide.id}`).set(auth(rKey)).expect(404);
    const listed = await stack.http.get('/v1/auto-replies').set(auth(rKey)).expect(200);
    expect(listed.body.data.map((r: { id: string }) => r.id)).toEqual([mine.body.id]);
    await dryRun({ connectionId: otherConnectionId, text: 'hi' }, rKey).expect(404);
    await dryRun({ text: 'hi' }, rKey).expect(200);
    await stack.http.get(`/v1/auto-replies/${wide.id}`).set(auth(key)).expect(200);
  });
});
