import { FaqBotsService } from '@wwb/faq-bots';
import { scopeOf } from '@wwb/persistence';
import { auth, ConnectionsStack } from './support/connections-stack';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

const ENTRIES = [
  {
    id: 'hours',
    questions: ['What are your opening hours?', 'When are you open?'],
    keywords: ['schedule'],
    answer: { text: 'Monday to Friday, 9:00-18:00.' },
  },
  {
    id: 'password',
    questions: ['How do I reset my password?', 'I forgot my password'],
    answer: { text: 'Use the "forgot password" link.' },
  },
  {
    questions: ['How long does shipping take?'],
    keywords: ['delivery', 'tracking'],
    answer: { text: '2-3 working days.' },
  },
];

describe('FAQ bots (e2e: API over HTTP, real FerretDB)', () => {
  let s: ConnectionsStack;
  let key: string;
  let accountId: string;

  const create = (body: Json, k = key) => s.http.post('/v1/faq-bots').set(auth(k)).send(body);
  const ask = (id: string, text: string, k = key) =>
    s.http.post(`/v1/faq-bots/${id}/ask`).set(auth(k)).send({ text });

  beforeAll(async () => {
    s = await ConnectionsStack.start();
    ({ key, id: accountId } = await s.account('professional'));
  });

  afterAll(async () => {
    await s?.close();
  });

  it('creates a bot with entries, reads, lists, patches, replaces and deletes it', async () => {
    const created = await create({ name: 'Support', language: 'en-us', entries: ENTRIES }).expect(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^faq_[0-9A-Z]{26}$/),
      name: 'Support',
      language: 'en-US',
      threshold: 0.35,
      fallbackAnswer: null,
      handoffAfterMisses: 3,
      connectionIds: [],
      mode: 'fallback',
      enabled: true,
      entryCount: 3,
    });
    expect(created.body.entries[0]).toEqual({ ...ENTRIES[0] });
    expect(created.body.entries[1]).toEqual({ ...ENTRIES[1], keywords: [] });
    expect(created.body.entries[2].id).toMatch(/^fqe_[0-9A-Z]{26}$/);
    const id = created.body.id as string;

    const got = await s.http.get(`/v1/faq-bots/${id}`).set(auth(key)).expect(200);
    expect(got.body).toEqual(created.body);

    const other = await create({ name: 'Sales', mode: 'rule_only', threshold: 0.5 }).expect(201);
    const page1 = await s.http.get('/v1/faq-bots?limit=1').set(auth(key)).expect(200);
    expect(page1.body.data).toHaveLength(1);
    expect(page1.body.data[0]).toMatchObject({ id, entryCount: 3 });
    expect(page1.body.data[0].entries).toBeUndefined();
    const page2 = await s.http
      .get(`/v1/faq-bots?limit=1&cursor=${page1.body.nextCursor as string}`)
      .set(auth(key))
      .expect(200);
    expect(page2.body).toMatchObject({ data: [{ id: other.body.id, mode: 'rule_only', entryCount: 0 }] });

    const patched = await s.http
      .patch(`/v1/faq-bots/${id}`)
      .set(auth(key))
      .send({ threshold: 0.6, fallbackAnswer: 'Sorry, no idea.', handoffAfterMisses: 0, enabled: false })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: 'Support',
      threshold: 0.6,
      fallbackAnswer: 'Sorry, no idea.',
      handoffAfterMisses: 0,
      enabled: false,
      entryCount: 3,
    });

    // PUT: absent fields take their defaults, the entry list is replaced.
    const replaced = await s.http
      .put(`/v1/faq-bots/${id}`)
      .set(auth(key))
      .send({ name: 'Support v2', language: 'es', entries: [ENTRIES[0]] })
      .expect(200);
    expect(replaced.body).toMatchObject({
      name: 'Support v2',
      language: 'es',
      threshold: 0.35,
      fallbackAnswer: null,
      enabled: true,
      entryCount: 1,
      entries: [{ id: 'hours' }],
    });

    await s.http.delete(`/v1/faq-bots/${id}`).set(auth(key)).expect(204);
    await s.http.get(`/v1/faq-bots/${id}`).set(auth(key)).expect(404);
    await s.http
      .delete(`/v1/faq-bots/${other.body.id as string}`)
      .set(auth(key))
      .expect(204);
    expect(await s.db.collection('faq_entries').countDocuments({ botId: id })).toBe(0);
  });

  it('adds, changes and deletes single entries, and ask sees each change at once', async () => {
    const bot = await create({ name: 'Entries', entries: [ENTRIES[0]] }).expect(201);
    const id = bot.body.id as string;
    expect((await ask(id, 'refund please').expect(200)).body).toMatchObject({ matched: false });

    const added = await s.http
      .post(`/v1/faq-bots/${id}/entries`)
      .set(auth(key))
      .send({
        id: 'refund',
        questions: ['Can I get my money back?'],
        keywords: ['refund'],
        answer: { text: '30 days' },
      })
      .expect(201);
    expect(added.body).toEqual({
      id: 'refund',
      questions: ['Can I get my money back?'],
      keywords: ['refund'],
      answer: { text: '30 days' },
    });
    expect((await ask(id, 'refund please').expect(200)).body.best).toMatchObject({ entryId: 'refund' });

    const dup = await s.http
      .post(`/v1/faq-bots/${id}/entries`)
      .set(auth(key))
      .send({ id: 'refund', questions: ['x'], answer: { text: 'y' } })
      .expect(409);
    expect(dup.body.code).toBe('entry_exists');

    const changed = await s.http
      .patch(`/v1/faq-bots/${id}/entries/refund`)
      .set(auth(key))
      .send({ answer: { text: '14 days' } })
      .expect(200);
    expect(changed.body).toMatchObject({
      questions: ['Can I get my money back?'],
      answer: { text: '14 days' },
    });
    expect((await ask(id, 'can I get my money back').expect(200)).body.best).toMatchObject({
      entryId: 'refund',
      score: 1,
      answer: { text: '14 days' },
    });

    await s.http.delete(`/v1/faq-bots/${id}/entries/refund`).set(auth(key)).expect(204);
    await s.http.delete(`/v1/faq-bots/${id}/entries/refund`).set(auth(key)).expect(404);
    await s.http.patch(`/v1/faq-bots/${id}/entries/nope`).set(auth(key)).send({ keywords: [] }).expect(404);
    expect((await ask(id, 'refund please').expect(200)).body).toMatchObject({ matched: false });
    expect((await s.http.get(`/v1/faq-bots/${id}`).set(auth(key)).expect(200)).body.entries).toHaveLength(1);
    await s.http.delete(`/v1/faq-bots/${id}`).set(auth(key)).expect(204);
  });

  it('another API process picks up a change of the entries at its next ask (revision check)', async () => {
    const bot = await create({ name: 'Shared', entries: [ENTRIES[0]] }).expect(201);
    const id = bot.body.id as string;
    const second = await s.startExtraApi({});
    try {
      const before = await second.http.post(`/v1/faq-bots/${id}/ask`).set(auth(key)).send({ text: 'refund' });
      expect(before.body).toMatchObject({ matched: false }); // the second process has built and cached its index
      await s.http
        .post(`/v1/faq-bots/${id}/entries`)
        .set(auth(key))
        .send({
          id: 'refund',
          questions: ['Can I get my money back?'],
          keywords: ['refund'],
          answer: { text: 'ok' },
        })
        .expect(201);
      const after = await second.http.post(`/v1/faq-bots/${id}/ask`).set(auth(key)).send({ text: 'refund' });
      expect(after.body).toMatchObject({ matched: true, best: { entryId: 'refund' } });
    } finally {
      await second.close();
    }
    await s.http.delete(`/v1/faq-bots/${id}`).set(auth(key)).expect(204);
  });

  it('refuses invalid bots and entries with 400 and a code', async () => {
    const cases: [Json, string][] = [
      [{ name: 'x', threshold: 1.5 }, 'invalid_threshold'],
      [{ name: 'x', threshold: -0.1 }, 'invalid_threshold'],
      [{ name: 'x', language: 'not a tag!' }, 'invalid_language'],
      [{ name: 'x', handoffAfterMisses: 51 }, 'invalid_handoff_after_misses'],
      [{ name: 'x', connectionIds: ['con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'] }, 'unknown_connection'],
      [{ name: 'x', entries: [{ questions: [], answer: { text: 'a' } }] }, 'entry_without_question'],
      [{ name: 'x', entries: [{ questions: ['  '], answer: { text: 'a' } }] }, 'entry_without_question'],
      [{ name: 'x', entries: [{ questions: ['q'], answer: {} }] }, 'invalid_answer'],
      [
        { name: 'x', entries: [{ questions: ['q'], answer: { text: 'a', templateId: 'tpl_x' } }] },
        'invalid_answer',
      ],
      [
        {
          name: 'x',
          entries: [{ questions: ['q'], answer: { templateId: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' } }],
        },
        'template_not_found',
      ],
      [
        {
          name: 'x',
          entries: [
            { id: 'a', questions: ['q'], answer: { text: 'a' } },
            { id: 'a', questions: ['r'], answer: { text: 'b' } },
          ],
        },
        'duplicate_entry_id',
      ],
      [{ name: 'x', entries: [{ id: 'a b', questions: ['q'], answer: { text: 'a' } }] }, 'invalid_entry_id'],
      [
        {
          name: 'x',
          entries: [{ questions: Array.from({ length: 21 }, (_, i) => `q${i}`), answer: { text: 'a' } }],
        },
        'too_many_questions',
      ],
      [{ name: 'x', mode: 'always' }, 'validation_failed'],
      [{ name: 'x', surprise: true }, 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const res = await create(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code });
    }
    const list = await s.http.get('/v1/faq-bots').set(auth(key)).expect(200);
    expect(list.body.data).toEqual([]); // nothing half-created, no plan slot kept

    const bot = await create({ name: 'Valid' }).expect(201);
    const id = bot.body.id as string;
    const bad = await s.http
      .post(`/v1/faq-bots/${id}/entries`)
      .set(auth(key))
      .send({ questions: ['?'], answer: { templateId: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' } })
      .expect(400);
    expect(bad.body.code).toBe('template_not_found');
    const patch = await s.http.patch(`/v1/faq-bots/${id}`).set(auth(key)).send({ threshold: 2 }).expect(400);
    expect(patch.body.code).toBe('invalid_threshold');
    await s.http.delete(`/v1/faq-bots/${id}`).set(auth(key)).expect(204);
  });

  it('answers with a template and keeps the template from being deleted while used', async () => {
    const tpl = await s.http
      .post('/v1/templates')
      .set(auth(key))
      .send({
        name: 'faq_hours',
        language: 'en',
        category: 'service',
        body: 'We open at 9, {{contact.name}}.',
      })
      .expect(201);
    const templateId = tpl.body.id as string;
    const bot = await create({
      name: 'Templated',
      entries: [{ id: 'hours', questions: ['opening hours'], answer: { templateId } }],
    }).expect(201);
    const id = bot.body.id as string;
    expect((await ask(id, 'opening hours?').expect(200)).body.best).toMatchObject({ answer: { templateId } });

    const inUse = await s.http.delete(`/v1/templates/${templateId}`).set(auth(key)).expect(409);
    expect(inUse.body.code).toBe('template_in_use');

    await s.http.delete(`/v1/faq-bots/${id}`).set(auth(key)).expect(204);
    await s.http.delete(`/v1/templates/${templateId}`).set(auth(key)).expect(204);
  });

  it('ranks the candidates: exact variant first with score 1, typos and keywords match, unrelated text does not', async () => {
    const bot = await create({ name: 'Ranking', entries: ENTRIES }).expect(201);
    const id = bot.body.id as string;

    const exact = (await ask(id, 'How do I reset my password?').expect(200)).body;
    expect(exact).toMatchObject({
      matched: true,
      best: { entryId: 'password', question: 'How do I reset my password?', score: 1 },
    });
    expect(exact.candidates[0]).toEqual(exact.best);
    expect(exact.candidates.length).toBeLessThanOrEqual(5);

    const typo = (await ask(id, 'pasword reset pls').expect(200)).body;
    expect(typo.matched).toBe(true);
    expect(typo.best.entryId).toBe('password');
    expect(typo.best.score).toBeLessThan(1);

    const keyword = (await ask(id, 'where is my delivery?').expect(200)).body;
    expect(keyword).toMatchObject({ matched: true, best: { question: 'How long does shipping take?' } });

    const unrelated = (await ask(id, 'Do you sell gift cards?').expect(200)).body;
    expect(unrelated.matched).toBe(false);
    expect(unrelated.best?.score ?? 0).toBeLessThan(0.35);

    const badBody = await s.http.post(`/v1/faq-bots/${id}/ask`).set(auth(key)).send({}).expect(400);
    expect(badBody.body.code).toBe('validation_failed');
    await s.http.delete(`/v1/faq-bots/${id}`).set(auth(key)).expect(204);
  });

  it('reports answers, misses and hand-offs per day and groups the unanswered questions', async () => {
    const bot = await create({ name: 'Report', entries: ENTRIES, handoffAfterMisses: 2 }).expect(201);
    const id = bot.body.id as string;
    const faq = s.api.get(FaqBotsService);
    const scope = scopeOf(accountId);
    const chat = '15551230000@c.us';
    const at = (iso: string) => new Date(iso);

    expect(
      await faq.recordOutcome(scope, id, {
        kind: 'missed',
        question: 'Gift cards?',
        chatId: chat,
        at: at('2026-03-01T10:00:00Z'),
      }),
    ).toEqual({ missesInRow: 1 });
    // The same message again (a redelivered event) records nothing new.
    expect(
      await faq.recordOutcome(scope, id, {
        kind: 'missed',
        question: 'Gift cards?',
        chatId: chat,
        at: at('2026-03-01T10:00:00Z'),
      }),
    ).toEqual({ missesInRow: 1 });
    expect(
      await faq.recordOutcome(scope, id, {
        kind: 'missed',
        question: 'do you sell GIFT cards',
        chatId: chat,
        at: at('2026-03-01T10:01:00Z'),
      }),
    ).toEqual({ missesInRow: 2 });
    expect(
      await faq.recordOutcome(scope, id, {
        kind: 'handoff',
        question: 'do you sell GIFT cards',
        chatId: chat,
        at: at('2026-03-01T10:01:00Z'),
      }),
    ).toEqual({ missesInRow: 0 });
    expect(
      await faq.recordOutcome(scope, id, {
        kind: 'missed',
        question: 'gift cards!!',
        chatId: chat,
        at: at('2026-03-02T09:00:00Z'),
      }),
    ).toEqual({ missesInRow: 1 });
    expect(
      await faq.recordOutcome(scope, id, {
        kind: 'answered',
        question: 'opening hours',
        chatId: chat,
        at: at('2026-03-02T09:05:00Z'),
      }),
    ).toEqual({ missesInRow: 0 });
    // Another chat keeps its own count.
    expect(
      await faq.recordOutcome(scope, id, {
        kind: 'missed',
        question: 'Can I pay with PayPal?',
        chatId: '15559990000@c.us',
        at: at('2026-03-02T11:00:00Z'),
      }),
    ).toEqual({ missesInRow: 1 });
    // Outside the window asked for below.
    await faq.recordOutcome(scope, id, {
      kind: 'missed',
      question: 'old question',
      chatId: chat,
      at: at('2026-02-20T09:00:00Z'),
    });

    const report = await s.http
      .get(`/v1/faq-bots/${id}/report?from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z`)
      .set(auth(key))
      .expect(200);
    expect(report.body).toEqual({
      botId: id,
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-04T00:00:00.000Z',
      totals: { answered: 1, missed: 4, handoff: 1 },
      days: [
        { day: '2026-03-01', answered: 0, missed: 2, handoff: 1 },
        { day: '2026-03-02', answered: 1, missed: 2, handoff: 0 },
        { day: '2026-03-03', answered: 0, missed: 0, handoff: 0 },
      ],
      unanswered: [
        { key: 'gift cards', count: 2, lastSeenAt: '2026-03-02T09:00:00.000Z', sample: 'gift cards!!' },
        {
          key: 'pay paypal',
          count: 1,
          lastSeenAt: '2026-03-02T11:00:00.000Z',
          sample: 'Can I pay with PayPal?',
        },
        {
          key: 'sell gift cards',
          count: 1,
          lastSeenAt: '2026-03-01T10:01:00.000Z',
          sample: 'do you sell GIFT cards',
        },
      ],
    });

    const tooLong = await s.http
      .get(`/v1/faq-bots/${id}/report?from=2025-01-01T00:00:00Z&to=2026-03-04T00:00:00Z`)
      .set(auth(key))
      .expect(400);
    expect(tooLong.body.code).toBe('invalid_report_window');
    await s.http.delete(`/v1/faq-bots/${id}`).set(auth(key)).expect(204);
    expect(await s.db.collection('faq_outcomes').countDocuments({ botId: id })).toBe(0);
  });

  it('serves the enabled bots of a connection: all-connection bots and those naming it', async () => {
    const conn = await s.http.post('/v1/connections').set(auth(key)).send({ name: 'faq-conn' }).expect(201);
    const connectionId = conn.body.id as string;
    const all = await create({ name: 'All' }).expect(201);
    const only = await create({ name: 'Only', connectionIds: [connectionId], mode: 'rule_only' }).expect(201);
    const off = await create({ name: 'Off', enabled: false }).expect(201);
    const faq = s.api.get(FaqBotsService);

    const serving = await faq.botsServing(scopeOf(accountId), connectionId);
    expect(serving.map((b) => [b.name, b.mode])).toEqual([
      ['All', 'fallback'],
      ['Only', 'rule_only'],
    ]);
    const elsewhere = await faq.botsServing(scopeOf(accountId), 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8');
    expect(elsewhere.map((b) => b.name)).toEqual(['All']);

    // A change made through this process is served at once (the cache is dropped).
    await s.http
      .patch(`/v1/faq-bots/${only.body.id as string}`)
      .set(auth(key))
      .send({ enabled: false })
      .expect(200);
    expect((await faq.botsServing(scopeOf(accountId), connectionId)).map((b) => b.name)).toEqual(['All']);

    // A change written by another process (here: straight to the database, as its editor does:
    // the bot, then the account's revision) is served within about a second.
    await faq.botsServing(scopeOf(accountId), connectionId);
    await s.db
      .collection('faq_bots')
      .updateOne({ _id: off.body.id } as never, { $set: { enabled: true, mode: 'rule_only' } });
    await s.db
      .collection('faq_bot_revisions')
      .updateOne({ _id: `${accountId}/bots` } as never, { $set: { revision: 'elsewhere' } });
    const changedAt = Date.now();
    let names: string[] = [];
    while (Date.now() - changedAt < 5_000) {
      names = (await faq.botsServing(scopeOf(accountId), connectionId)).map((b) => b.name);
      if (names.includes('Off')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(names).toEqual(['All', 'Off']);
    expect(Date.now() - changedAt).toBeLessThan(2_500);
    for (const b of [all, only, off])
      await s.http
        .delete(`/v1/faq-bots/${b.body.id as string}`)
        .set(auth(key))
        .expect(204);
    expect(await faq.botsServing(scopeOf(accountId), connectionId)).toEqual([]);
  });

  it('a key restricted to some connections manages only bots limited to them (403 forbidden_scope, others 404)', async () => {
    const acc = await s.account('professional');
    const full = auth(acc.key);
    const connA = (await s.http.post('/v1/connections').set(full).send({ name: 'a' }).expect(201)).body
      .id as string;
    const connB = (await s.http.post('/v1/connections').set(full).send({ name: 'b' }).expect(201)).body
      .id as string;
    const restricted = await s.http
      .post('/v1/api-keys')
      .set(full)
      .send({ name: 'only-a', connectionIds: [connA] })
      .expect(201);
    const r = auth(restricted.body.key as string);

    const mine = await s.http
      .post('/v1/faq-bots')
      .set(r)
      .send({ name: 'A', connectionIds: [connA], entries: [ENTRIES[0]] })
      .expect(201);
    const mineId = mine.body.id as string;
    for (const connectionIds of [
      undefined,
      [],
      [connB],
      [connA, connB],
      ['con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'],
    ]) {
      const res = await s.http
        .post('/v1/faq-bots')
        .set(r)
        .send({ name: 'x', ...(connectionIds ? { connectionIds } : {}) });
      expect({ connectionIds, status: res.status, code: res.body.code }).toEqual({
        connectionIds,
        status: 403,
        code: 'forbidden_scope',
      });
    }
    const widen = await s.http
      .patch(`/v1/faq-bots/${mineId}`)
      .set(r)
      .send({ connectionIds: [connA, connB] });
    expect([widen.status, widen.body.code]).toEqual([403, 'forbidden_scope']);
    const toAll = await s.http.put(`/v1/faq-bots/${mineId}`).set(r).send({ name: 'A' }); // connectionIds default []
    expect([toAll.status, toAll.body.code]).toEqual([403, 'forbidden_scope']);
    await s.http.patch(`/v1/faq-bots/${mineId}`).set(r).send({ threshold: 0.5 }).expect(200);
    await s.http
      .put(`/v1/faq-bots/${mineId}`)
      .set(r)
      .send({ name: 'A2', connectionIds: [connA] })
      .expect(200);
    await s.http
      .post(`/v1/faq-bots/${mineId}/entries`)
      .set(r)
      .send({ id: 'e2', questions: ['q'], answer: { text: 'a' } })
      .expect(201);
    expect((await ask(mineId, 'hello', restricted.body.key as string)).status).toBe(200);

    // Bots of the whole account or of other connections: invisible to the restricted key.
    const allBot = (
      await s.http
        .post('/v1/faq-bots')
        .set(full)
        .send({ name: 'All', entries: [ENTRIES[0]] })
        .expect(201)
    ).body.id as string;
    const bBot = (
      await s.http
        .post('/v1/faq-bots')
        .set(full)
        .send({ name: 'B', connectionIds: [connB] })
        .expect(201)
    ).body.id as string;
    for (const id of [allBot, bBot]) {
      await s.http.get(`/v1/faq-bots/${id}`).set(r).expect(404);
      await s.http.patch(`/v1/faq-bots/${id}`).set(r).send({ threshold: 0.9 }).expect(404);
      await s.http
        .put(`/v1/faq-bots/${id}`)
        .set(r)
        .send({ name: 'x', connectionIds: [connA] })
        .expect(404);
      await s.http.post(`/v1/faq-bots/${id}/ask`).set(r).send({ text: 'hours' }).expect(404);
      await s.http.get(`/v1/faq-bots/${id}/report`).set(r).expect(404);
      await s.http
        .post(`/v1/faq-bots/${id}/entries`)
        .set(r)
        .send({ questions: ['q'], answer: { text: 'a' } })
        .expect(404);
      await s.http.patch(`/v1/faq-bots/${id}/entries/hours`).set(r).send({ keywords: [] }).expect(404);
      await s.http.delete(`/v1/faq-bots/${id}/entries/hours`).set(r).expect(404);
      await s.http.delete(`/v1/faq-bots/${id}`).set(r).expect(404);
    }
    const listed = (await s.http.get('/v1/faq-bots').set(r).expect(200)).body.data as Json[];
    expect(listed.map((b) => b.id)).toEqual([mineId]);
    const everything = (await s.http.get('/v1/faq-bots').set(full).expect(200)).body.data as Json[];
    expect(everything.map((b) => b.name)).toEqual(['A2', 'All', 'B']);
    expect((await s.http.get(`/v1/faq-bots/${allBot}`).set(full).expect(200)).body.entryCount).toBe(1);
    await s.http.delete(`/v1/faq-bots/${mineId}`).set(r).expect(204);
  });

  it('enforces the plan limit (starter: one bot) and frees the slot on delete', async () => {
    const starter = await s.account('starter');
    const first = await create({ name: 'one' }, starter.key).expect(201);
    const second = await create({ name: 'two' }, starter.key).expect(403);
    expect(second.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'faqBots', limit: 1 },
    });
    await s.http
      .delete(`/v1/faq-bots/${first.body.id as string}`)
      .set(auth(starter.key))
      .expect(204);
    await create({ name: 'two' }, starter.key).expect(201);
  });

  it("answers 404 for another account's bot, its entries, ask and report", async () => {
    const bot = await create({ name: 'Mine', entries: ENTRIES }).expect(201);
    const id = bot.body.id as string;
    const other = await s.account('professional');
    const k = auth(other.key);
    await s.http.get(`/v1/faq-bots/${id}`).set(k).expect(404);
    await s.http.patch(`/v1/faq-bots/${id}`).set(k).send({ threshold: 0.9 }).expect(404);
    await s.http.put(`/v1/faq-bots/${id}`).set(k).send({ name: 'x' }).expect(404);
    await ask(id, 'hello', other.key).expect(404);
    await s.http.get(`/v1/faq-bots/${id}/report`).set(k).expect(404);
    await s.http
      .post(`/v1/faq-bots/${id}/entries`)
      .set(k)
      .send({ questions: ['q'], answer: { text: 'a' } })
      .expect(404);
    await s.http.patch(`/v1/faq-bots/${id}/entries/hours`).set(k).send({ keywords: [] }).expect(404);
    await s.http.delete(`/v1/faq-bots/${id}/entries/hours`).set(k).expect(404);
    await s.http.delete(`/v1/faq-bots/${id}`).set(k).expect(404);
    expect((await s.http.get('/v1/faq-bots').set(k).expect(200)).body.data).toEqual([]);
    await expect(s.api.get(FaqBotsService).ask(scopeOf(other.id), id, 'hours')).rejects.toMatchObject({
      kind: 'not_found',
    });

    const still = await s.http.get(`/v1/faq-bots/${id}`).set(auth(key)).expect(200);
    expect(still.body).toMatchObject({ name: 'Mine', threshold: 0.35, entryCount: 3 });
  });
});
