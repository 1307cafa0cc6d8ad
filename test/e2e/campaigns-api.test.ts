import { DateTime } from 'luxon';
import { auth, ConnectionsStack } from './support/connections-stack';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

const WEEKLY = { type: 'rrule', timeZone: 'Europe/Berlin', rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' };
const UNKNOWN_CONNECTION = 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';

/** The next Monday 09:00 in Berlin strictly after `now`, worked out without the schedule code. */
function nextBerlinMonday9(now: Date): string {
  let t = DateTime.fromJSDate(now)
    .setZone('Europe/Berlin')
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  while (t.weekday !== 1 || t.toMillis() <= now.getTime()) t = t.plus({ days: 1 }).set({ hour: 9 });
  return t.toUTC().toISO()!;
}

describe('campaign definitions (e2e: API over HTTP, real FerretDB)', () => {
  let s: ConnectionsStack;
  let key: string;
  let accountId: string;
  let connA: string;
  let connB: string;
  let templateId: string;

  const post = (path: string, body: Json, k = key) => s.http.post(path).set(auth(k)).send(body);
  const template = async (name: string, k = key) =>
    (
      await post(
        '/v1/templates',
        {
          name,
          language: 'en',
          category: 'marketing',
          body: 'Hi {{default contact.name "there"}}, 20% off.',
        },
        k,
      ).expect(201)
    ).body.id as string;
  const connection = async (name: string, k = key) =>
    (await post('/v1/connections', { name }, k).expect(201)).body.id as string;
  const campaign = (over: Json = {}, k = key, conn = connA, tpl = templateId) =>
    post(
      '/v1/campaigns',
      {
        name: 'Weekly offer',
        connectionIds: [conn],
        templateId: tpl,
        audience: { tags: ['vip'] },
        schedule: WEEKLY,
        ...over,
      },
      k,
    );

  beforeAll(async () => {
    s = await ConnectionsStack.start();
    ({ key, id: accountId } = await s.account('professional'));
    connA = await connection('a');
    connB = await connection('b');
    templateId = await template('weekly_offer');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('creates, reads, lists, changes, pauses, resumes, cancels and deletes a campaign', async () => {
    const before = new Date();
    const created = await campaign({
      name: '  Weekly offer ',
      variables: { offer: { text: '20% off', code: 'WEEK20' } },
      audience: { tags: ['VIP', 'newsletter'], contactIds: ['ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'] },
      pacing: { messagesPerMinute: 4, quietHours: { start: '22:00' } },
    }).expect(201);
    const after = new Date();
    const id = created.body.id as string;
    expect(id).toMatch(/^cmp_[0-9A-Z]{26}$/);
    expect(created.body).toMatchObject({
      name: 'Weekly offer',
      connectionIds: [connA],
      templateId,
      variables: { offer: { text: '20% off', code: 'WEEK20' } },
      audience: { tags: ['vip', 'newsletter'], contactIds: ['ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'] },
      schedule: {
        type: 'rrule',
        timeZone: 'Europe/Berlin',
        misfire: 'run_once',
        recipientLocalTime: false,
        endAt: null,
      },
      pacing: {
        messagesPerMinute: 4,
        jitter: 0.3,
        pauseEvery: 40,
        dailyCap: 250,
        warmup: [20, 40, 80, 150, 250],
        quietHours: { start: '22:00', end: '09:00' },
        frequencyCap: { max: 1, perHours: 24 },
      },
      pacingLimits: { messagesPerMinute: { min: 1, max: 60 }, warmupDays: { max: 60 } },
      state: 'active',
      revision: 1,
    });
    expect(created.body.schedule.rule).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9');
    // nextRunAt: the next Monday 09:00 Berlin time, as of when the request ran.
    expect([nextBerlinMonday9(before), nextBerlinMonday9(after)]).toContain(created.body.nextRunAt);

    const got = await s.http.get(`/v1/campaigns/${id}`).set(auth(key)).expect(200);
    expect(got.body).toEqual(created.body);

    const newer = (await campaign({ name: 'Newer' }).expect(201)).body.id as string;
    const page1 = await s.http.get('/v1/campaigns?limit=1').set(auth(key)).expect(200);
    expect(page1.body.data.map((c: Json) => c.id)).toEqual([newer]);
    const page2 = await s.http
      .get(`/v1/campaigns?limit=1&cursor=${page1.body.nextCursor as string}`)
      .set(auth(key))
      .expect(200);
    expect(page2.body.data.map((c: Json) => c.id)).toEqual([id]);
    expect(page2.body.nextCursor).toBeNull();

    const patched = await s.http
      .patch(`/v1/campaigns/${id}`)
      .set(auth(key))
      .send({
        name: 'Monday offer',
        variables: { offer: { code: 'MON10' } },
        pacing: { dailyCap: 100 },
        audience: { contactIds: [] },
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: 'Monday offer',
      variables: { offer: { code: 'MON10' } },
      audience: { tags: ['vip', 'newsletter'], contactIds: [] },
      pacing: { messagesPerMinute: 4, dailyCap: 100, quietHours: { start: '22:00', end: '09:00' } },
      schedule: created.body.schedule,
      revision: 2,
    });
    expect(patched.body.variables).toEqual({ offer: { code: 'MON10' } }); // replaced, not merged
    expect((await s.http.get(`/v1/campaigns/${id}`).set(auth(key)).expect(200)).body).toEqual(patched.body);

    const paused = await post(`/v1/campaigns/${id}/pause`, {}).expect(200);
    expect(paused.body).toMatchObject({ state: 'paused', nextRunAt: null, revision: 3 });
    const again = await post(`/v1/campaigns/${id}/pause`, {}).expect(200);
    expect(again.body).toMatchObject({ state: 'paused', revision: 3 });
    const resumed = await post(`/v1/campaigns/${id}/resume`, {}).expect(200);
    expect(resumed.body).toMatchObject({ state: 'active', revision: 4, nextRunAt: created.body.nextRunAt });
    const cancelled = await post(`/v1/campaigns/${id}/cancel`, {}).expect(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', nextRunAt: null, revision: 5 });
    await post(`/v1/campaigns/${id}/cancel`, {}).expect(200);
    for (const action of ['resume', 'pause']) {
      const res = await post(`/v1/campaigns/${id}/${action}`, {}).expect(409);
      expect(res.body.code).toBe('campaign_cancelled');
    }
    const change = await s.http.patch(`/v1/campaigns/${id}`).set(auth(key)).send({ name: 'x' }).expect(409);
    expect(change.body.code).toBe('campaign_cancelled');

    for (const c of [id, newer]) await s.http.delete(`/v1/campaigns/${c}`).set(auth(key)).expect(204);
    await s.http.get(`/v1/campaigns/${id}`).set(auth(key)).expect(404);
    await s.http.delete(`/v1/campaigns/${id}`).set(auth(key)).expect(404);
  });

  it('shows a one-off as active until the scheduler records its run, then completed', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const once = await campaign({ schedule: { type: 'once', timeZone: 'UTC', at } }).expect(201);
    expect(once.body).toMatchObject({ state: 'active', nextRunAt: at });
    const id = once.body.id as string;
    // What the runs side writes once it started the occurrence.
    await s.db.collection('campaign_cursors').insertOne({ _id: id, lastOccurrence: new Date(at) } as never);
    const got = await s.http.get(`/v1/campaigns/${id}`).set(auth(key)).expect(200);
    expect(got.body).toMatchObject({ state: 'completed', nextRunAt: null });
    await s.http.delete(`/v1/campaigns/${id}`).set(auth(key)).expect(204);
  });

  it('lists each campaign with its last run and its state, as the runs list shows it', async () => {
    const weekly = (await campaign({ name: 'Ran weekly' }).expect(201)).body.id as string;
    const manual = (await campaign({ name: 'Ran by hand' }).expect(201)).body.id as string;
    const never = (await campaign({ name: 'Never ran' }).expect(201)).body.id as string;
    const at = (iso: string) => new Date(iso);
    const run = (campaignId: string, occurrence: Date, kind = 'scheduled') => ({
      _id: `${campaignId}_${occurrence.getTime()}`,
      accountId,
      campaignId,
      kind,
      occurrence,
      occurrenceId: String(occurrence.getTime()),
      createdAt: occurrence,
    });
    // What the runs side writes: two weekly runs (the scheduler's cursor at the later one, which
    // is still sending), and one manual run of another campaign, completed.
    const older = run(weekly, at('2026-11-30T08:00:00Z'));
    const newer = run(weekly, at('2026-12-07T08:00:00Z'));
    const byHand = run(manual, at('2026-12-05T15:30:00Z'), 'manual');
    await s.db.collection('campaign_runs').insertMany([older, newer, byHand] as never[]);
    await s.db
      .collection('campaign_cursors')
      .insertOne({ _id: weekly, lastOccurrence: newer.occurrence } as never);
    const mark = (runId: string, m: string) => ({ _id: `${runId}/${m}`, runId, mark: m, at: new Date() });
    await s.db
      .collection('campaign_run_marks')
      .insertMany([
        mark(older._id, 'planned'),
        mark(older._id, 'completed'),
        mark(newer._id, 'planned'),
        mark(byHand._id, 'planned'),
        mark(byHand._id, 'completed'),
      ] as never[]);

    const list = await s.http.get('/v1/campaigns?limit=100').set(auth(key)).expect(200);
    const lastRunOf = (id: string) => list.body.data.find((c: Json) => c.id === id)?.lastRun;
    expect(lastRunOf(weekly)).toEqual({
      id: newer._id,
      state: 'running',
      kind: 'scheduled',
      occurrence: '2026-12-07T08:00:00.000Z',
    });
    expect(lastRunOf(manual)).toEqual({
      id: byHand._id,
      state: 'completed',
      kind: 'manual',
      occurrence: '2026-12-05T15:30:00.000Z',
    });
    expect(lastRunOf(never)).toBeNull();
    // The same as the campaign's own runs list and its single view.
    const runs = await s.http.get(`/v1/campaigns/${weekly}/runs?limit=1`).set(auth(key)).expect(200);
    expect(runs.body.data[0]).toMatchObject(lastRunOf(weekly));
    const one = await s.http.get(`/v1/campaigns/${manual}`).set(auth(key)).expect(200);
    expect(one.body.lastRun).toEqual(lastRunOf(manual));
    for (const c of [weekly, manual, never])
      await s.http.delete(`/v1/campaigns/${c}`).set(auth(key)).expect(204);
  });

  it('refuses bad campaigns with 400 and a code, keeping nothing', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `con_${i}`);
    const cases: [Json, string][] = [
      [{ surprise: true }, 'validation_failed'],
      [{ name: 42 }, 'validation_failed'],
      [{ audience: { tags: ['vip'], everyone: true } }, 'validation_failed'],
      [{ schedule: 'every monday' }, 'validation_failed'],
      [{ name: '   ' }, 'invalid_name'],
      [{ name: 'x'.repeat(121) }, 'invalid_name'],
      [{ connectionIds: [] }, 'invalid_connections'],
      [{ connectionIds: eleven }, 'invalid_connections'],
      [{ connectionIds: [connA, connA] }, 'invalid_connections'],
      [{ connectionIds: [connA, UNKNOWN_CONNECTION] }, 'unknown_connection'],
      [{ templateId: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }, 'template_not_found'],
      [{ variables: { contact: { name: 'x' } } }, 'invalid_variables'],
      [{ variables: { 'offer.code': 'x' } }, 'invalid_variables'],
      [{ variables: { offer: { $code: 'x' } } }, 'invalid_variables'],
      [{ variables: { big: 'x'.repeat(17_000) } }, 'invalid_variables'],
      [
        { variables: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, i])) },
        'invalid_variables',
      ],
      [{ audience: { tags: ['not a tag'] } }, 'invalid_audience'],
      [{ audience: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }, 'invalid_audience'],
      [{ audience: { contactIds: ['ctc_nope'] } }, 'invalid_audience'],
      [{ audience: {} }, 'empty_audience'],
      [{ audience: { tags: [], contactIds: [] } }, 'empty_audience'],
      [{ schedule: { type: 'weekly', timeZone: 'UTC' } }, 'invalid_schedule'],
      [{ schedule: { ...WEEKLY, timeZone: 'Mars/Olympus' } }, 'invalid_time_zone'],
      [{ schedule: { type: 'cron', timeZone: 'UTC', expression: '61 9 * * *' } }, 'invalid_cron'],
      [{ schedule: { ...WEEKLY, rule: 'FREQ=SOMETIMES' } }, 'invalid_rrule'],
      [
        { schedule: { ...WEEKLY, startAt: '2030-02-01T00:00:00Z', endAt: '2030-01-01T00:00:00Z' } },
        'schedule_end_before_start',
      ],
      [{ schedule: { type: 'once', timeZone: 'UTC', at: '2020-01-01T09:00:00Z' } }, 'schedule_in_past'],
      [{ schedule: { type: 'cron', timeZone: 'UTC', expression: '*/5 * * * *' } }, 'schedule_too_frequent'],
      [{ pacing: { messagesPerMinute: 500 } }, 'invalid_pacing'],
      [{ pacing: { burst: true } }, 'invalid_pacing'],
    ];
    for (const [over, code] of cases) {
      const res = await campaign(over);
      expect({ over, status: res.status, code: res.body.code }).toEqual({ over, status: 400, code });
    }
    const unknown = await campaign({ connectionIds: [connA, UNKNOWN_CONNECTION] }).expect(400);
    expect(unknown.body.message).toContain(UNKNOWN_CONNECTION);
    expect(unknown.body.details).toEqual({ field: 'connectionIds', connectionIds: [UNKNOWN_CONNECTION] });

    expect((await s.http.get('/v1/campaigns').set(auth(key)).expect(200)).body.data).toEqual([]);
    expect((await s.http.get('/v1/account').set(auth(key)).expect(200)).body.usage.campaigns).toBe(0);

    const id = (await campaign().expect(201)).body.id as string;
    const patch = await s.http
      .patch(`/v1/campaigns/${id}`)
      .set(auth(key))
      .send({ audience: { tags: [] } })
      .expect(400);
    expect(patch.body.code).toBe('empty_audience');
    await s.http.delete(`/v1/campaigns/${id}`).set(auth(key)).expect(204);
  });

  it("is 404 for another account's campaign, exactly as for one that does not exist", async () => {
    const id = (await campaign().expect(201)).body.id as string;
    const other = await s.account('professional');
    const k = auth(other.key);
    const missing = 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
    const strip = (b: Json) => ({ ...b, requestId: undefined });
    const attempts = (target: string) => [
      s.http.get(`/v1/campaigns/${target}`).set(k),
      s.http.patch(`/v1/campaigns/${target}`).set(k).send({ name: 'mine now' }),
      s.http.delete(`/v1/campaigns/${target}`).set(k),
      s.http.post(`/v1/campaigns/${target}/pause`).set(k).send({}),
      s.http.post(`/v1/campaigns/${target}/resume`).set(k).send({}),
      s.http.post(`/v1/campaigns/${target}/cancel`).set(k).send({}),
    ];
    const theirs = await Promise.all(attempts(id));
    const none = await Promise.all(attempts(missing));
    theirs.forEach((res, i) => {
      expect(res.status).toBe(404);
      expect(strip(res.body)).toEqual(strip(none[i]!.body));
    });
    expect((await s.http.get('/v1/campaigns').set(k).expect(200)).body.data).toEqual([]);
    // Untouched.
    expect((await s.http.get(`/v1/campaigns/${id}`).set(auth(key)).expect(200)).body).toMatchObject({
      name: 'Weekly offer',
      state: 'active',
      revision: 1,
    });
    await s.http.delete(`/v1/campaigns/${id}`).set(auth(key)).expect(204);
  });

  it('a key restricted to some connections uses only campaigns whose connections it all reaches', async () => {
    const restricted = await post('/v1/api-keys', { name: 'only-a', connectionIds: [connA] }).expect(201);
    const r = restricted.body.key as string;
    const mine = (await campaign({}, r).expect(201)).body.id as string;
    const both = (await campaign({ connectionIds: [connA, connB] }).expect(201)).body.id as string;
    const onlyB = (await campaign({}, key, connB).expect(201)).body.id as string;

    for (const id of [both, onlyB]) {
      await s.http.get(`/v1/campaigns/${id}`).set(auth(r)).expect(404);
      await s.http.patch(`/v1/campaigns/${id}`).set(auth(r)).send({ name: 'x' }).expect(404);
      await post(`/v1/campaigns/${id}/pause`, {}, r).expect(404);
      await s.http.delete(`/v1/campaigns/${id}`).set(auth(r)).expect(404);
    }
    const listed = (await s.http.get('/v1/campaigns').set(auth(r)).expect(200)).body.data as Json[];
    expect(listed.map((c) => c.id)).toEqual([mine]);

    // Another connection of the account is unknown to this key, on create and on change.
    const create = await campaign({ connectionIds: [connA, connB] }, r).expect(400);
    expect(create.body).toMatchObject({ code: 'unknown_connection', details: { connectionIds: [connB] } });
    const widen = await s.http
      .patch(`/v1/campaigns/${mine}`)
      .set(auth(r))
      .send({ connectionIds: [connA, connB] })
      .expect(400);
    expect(widen.body.code).toBe('unknown_connection');
    await post(`/v1/campaigns/${mine}/pause`, {}, r).expect(200);
    await s.http.patch(`/v1/campaigns/${mine}`).set(auth(r)).send({ name: 'Mine' }).expect(200);
    await s.http.delete(`/v1/campaigns/${mine}`).set(auth(r)).expect(204);
    for (const id of [both, onlyB]) await s.http.delete(`/v1/campaigns/${id}`).set(auth(key)).expect(204);
  });

  it('concurrent changes: each is applied whole or refused with 409 campaign_changed', async () => {
    const id = (await campaign().expect(201)).body.id as string;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        s.http
          .patch(`/v1/campaigns/${id}`)
          .set(auth(key))
          .send({ name: `name ${i}` }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    for (const r of results.filter((x) => x.status !== 200))
      expect([r.status, r.body.code]).toEqual([409, 'campaign_changed']);
    expect(ok.length).toBeGreaterThan(0);
    const final = (await s.http.get(`/v1/campaigns/${id}`).set(auth(key)).expect(200)).body;
    expect(final.revision).toBe(1 + ok.length);
    expect(ok.map((r) => r.body.name)).toContain(final.name);

    // State changes retry a lost race on what won: a cancel that answered 200 is never undone.
    const actions = ['pause', 'cancel', 'resume', 'pause', 'resume'];
    const changed = await Promise.all(actions.map((a) => post(`/v1/campaigns/${id}/${a}`, {})));
    changed.forEach((r, i) => {
      if (actions[i] === 'cancel') expect(r.status).toBe(200);
      else expect([200, 409]).toContain(r.status);
      if (r.status === 409) expect(['campaign_cancelled', 'campaign_changed']).toContain(r.body.code);
    });
    expect((await s.http.get(`/v1/campaigns/${id}`).set(auth(key)).expect(200)).body.state).toBe('cancelled');
    await s.http.delete(`/v1/campaigns/${id}`).set(auth(key)).expect(204);
  });

  it('enforces the plan limit (starter: 5 campaigns) and frees the slot on delete', async () => {
    const starter = await s.account('starter');
    const conn = await connection('starter', starter.key);
    const tpl = await template('starter_offer', starter.key);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await campaign({ name: `c${i}` }, starter.key, conn, tpl).expect(201)).body.id);
    const sixth = await campaign({ name: 'c5' }, starter.key, conn, tpl).expect(403);
    expect(sixth.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'campaigns', plan: 'starter', limit: 5 },
    });
    const account = await s.http.get('/v1/account').set(auth(starter.key)).expect(200);
    expect(account.body).toMatchObject({ limits: { campaigns: 5 }, usage: { campaigns: 5 } });
    await s.http.delete(`/v1/campaigns/${ids[0]!}`).set(auth(starter.key)).expect(204);
    await campaign({ name: 'c5' }, starter.key, conn, tpl).expect(201);
  });

  it('keeps its template from being deleted while it uses it', async () => {
    const first = await template('campaign_first');
    const second = await template('campaign_second');
    const id = (await campaign({}, key, connA, first).expect(201)).body.id as string;

    const inUse = await s.http.delete(`/v1/templates/${first}`).set(auth(key)).expect(409);
    expect(inUse.body).toMatchObject({ code: 'template_in_use', details: [{ kind: 'campaign', id }] });

    await s.http.patch(`/v1/campaigns/${id}`).set(auth(key)).send({ templateId: second }).expect(200);
    await s.http.delete(`/v1/templates/${first}`).set(auth(key)).expect(204);
    expect((await s.http.delete(`/v1/templates/${second}`).set(auth(key)).expect(409)).body.code).toBe(
      'template_in_use',
    );
    const gone = await s.http
      .patch(`/v1/campaigns/${id}`)
      .set(auth(key))
      .send({ templateId: first })
      .expect(400);
    expect(gone.body.code).toBe('template_not_found');

    await s.http.delete(`/v1/campaigns/${id}`).set(auth(key)).expect(204);
    await s.http.delete(`/v1/templates/${second}`).set(auth(key)).expect(204);
  });
});
