import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST = { messagesPerMinute: 60, jitter: 0, quietHours: null, pauseEvery: null, frequencyCap: null };

/**
 * Bulk sends end to end (real Kafka and FerretDB, the simulator, the worker's scheduler and the
 * gateway's paced dispatch): rows checked one by one (bad ones answered, good ones sent once with
 * their own variables), JSON and CSV, opted-out contacts skipped, the report adding up, the
 * bulkJobs plan limit with its lazy release, and another account seeing nothing.
 */
describe('bulk sends (e2e)', () => {
  let s: MessagingStack;
  let key: string;
  let con: string;
  let templateId: string;

  beforeAll(async () => {
    s = await MessagingStack.start({ PLAN_LIMITS: '{"starter":{"bulkJobs":1}}' });
    await s.startWorker();
    await s.stack.startGateway();
    key = (await s.stack.account()).key;
    con = await s.readyConnection(key, '+15551230061');
    templateId = await template(key);
  });

  afterAll(async () => {
    await s?.close();
  });

  async function template(k: string): Promise<string> {
    const res = await s.http
      .post('/v1/templates')
      .set(auth(k))
      .send({
        name: 'bulk hello',
        language: 'en',
        category: 'marketing',
        body: 'Hi {{first}}, code {{code}}',
        variables: [
          { name: 'first', example: 'Ana' },
          { name: 'code', example: 'A1' },
        ],
      })
      .expect(201);
    return res.body.id as string;
  }

  async function chatTexts(k: string, c: string, digits: string): Promise<string[]> {
    const res = await s.http.get(`/v1/connections/${c}/chats/${digits}@c.us/messages?limit=200`).set(auth(k));
    return res.status === 200 ? (res.body.data as Json[]).map((m) => m.body as string) : [];
  }

  /** Polls the job until its run is over; returns the job. */
  async function finished(k: string, c: string, jobId: string): Promise<Json> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const res = await s.http.get(`/v1/connections/${c}/bulk/${jobId}`).set(auth(k)).expect(200);
      const report = res.body.report as Json | null;
      if (report && ['completed', 'cancelled'].includes(report.state as string)) return res.body as Json;
      await sleep(300);
    }
    throw new Error(`bulk job ${jobId} did not finish`);
  }

  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

  it('JSON: bad rows answered per row, good rows sent once with their own variables, opted-out skipped', async () => {
    const opted = await s.http
      .post('/v1/contacts')
      .set(auth(key))
      .send({ phone: '+15557660103', name: 'Cy' })
      .expect(201);
    await s.http.post(`/v1/contacts/${opted.body.id}/opt-out`).set(auth(key)).send({}).expect(200);

    const res = await s.http
      .post(`/v1/connections/${con}/bulk`)
      .set(auth(key))
      .send({
        templateId,
        pacing: FAST,
        recipients: [
          { to: '+15557660101', variables: { first: 'Ana', code: 'A1' } },
          { to: 'not-a-phone', variables: { first: 'X', code: 'X' } },
          { to: '+1 555 766 0101', variables: { first: 'Again', code: 'A2' } },
          { to: '+15557660102', variables: { first: 'Ben', code: 2 } },
          { to: '+15557660103', variables: { first: 'Cy', code: 'C3' } },
          { to: '+15557660104', variables: { first: { nested: true } } },
        ],
      })
      .expect(202);
    expect(res.body).toMatchObject({ accepted: 3, rejected: 3 });
    expect((res.body.errors as Json[]).map((e) => [e.row, e.code])).toEqual([
      [2, 'invalid_phone'],
      [3, 'duplicate_phone'],
      [6, 'invalid_variables'],
    ]);
    const jobId = res.body.id as string;
    expect(jobId).toMatch(/^cmp_/);

    const job = await finished(key, con, jobId);
    expect(job).toMatchObject({ id: jobId, connectionId: con, templateId, accepted: 3, rejected: 3 });
    expect(job.runId).toBe(res.body.runId);
    const report = job.report as { counts: Record<string, number>; skipped: Json; state: string };
    expect(report.state).toBe('completed');
    expect(report.skipped).toEqual({ opted_out: 1 });
    expect(report.counts.skipped).toBe(1);
    expect(report.counts.sent + report.counts.delivered + report.counts.read).toBe(2);
    expect(total(report.counts)).toBe(3);

    await sleep(1_000);
    expect(await chatTexts(key, con, '15557660101')).toEqual(['Hi Ana, code A1']);
    expect(await chatTexts(key, con, '15557660102')).toEqual(['Hi Ben, code 2']);
    expect(await chatTexts(key, con, '15557660103')).toEqual([]);
    expect(await chatTexts(key, con, '15557660104')).toEqual([]);
    // Exactly one run: the scheduler did not start the once-now occurrence as well.
    expect(await s.stack.db.collection('campaign_runs').countDocuments({ campaignId: jobId })).toBe(1);

    // A campaign underneath, but not one of the definitions routes' campaigns.
    const list = await s.http.get('/v1/campaigns').set(auth(key)).expect(200);
    expect((list.body.data as Json[]).map((c) => c.id)).not.toContain(jobId);
    await s.http.get(`/v1/campaigns/${jobId}`).set(auth(key)).expect(200);
    await s.http.patch(`/v1/campaigns/${jobId}`).set(auth(key)).send({ name: 'x' }).expect(404);
    await s.http.delete(`/v1/campaigns/${jobId}`).set(auth(key)).expect(404);
  });

  it('CSV (text/csv body and multipart file): phone column, other columns as variables', async () => {
    const pacing = encodeURIComponent(JSON.stringify(FAST));
    const body = await s.http
      .post(`/v1/connections/${con}/bulk?templateId=${templateId}&pacing=${pacing}`)
      .set(auth(key))
      .set('Content-Type', 'text/csv')
      .send('phone,first,code\n+15557660201,Dee,D1\nnope,E,E1\n+15557660201,Dup,D2\n')
      .expect(202);
    expect(body.body).toMatchObject({ accepted: 1, rejected: 2 });
    expect((body.body.errors as Json[]).map((e) => [e.row, e.code])).toEqual([
      [2, 'invalid_phone'],
      [3, 'duplicate_phone'],
    ]);
    const upload = await s.http
      .post(`/v1/connections/${con}/bulk?templateId=${templateId}&pacing=${pacing}`)
      .set(auth(key))
      .attach('file', Buffer.from('to,first,code\n+15557660202,Fay,F1\n'), 'rows.csv')
      .expect(202);
    expect(upload.body).toMatchObject({ accepted: 1, rejected: 0, errors: [] });

    for (const jobId of [body.body.id as string, upload.body.id as string]) {
      const job = await finished(key, con, jobId);
      const counts = (job.report as { counts: Record<string, number> }).counts;
      expect(counts.sent + counts.delivered + counts.read).toBe(1);
      expect(total(counts)).toBe(1);
    }
    await sleep(1_000);
    expect(await chatTexts(key, con, '15557660201')).toEqual(['Hi Dee, code D1']);
    expect(await chatTexts(key, con, '15557660202')).toEqual(['Hi Fay, code F1']);
  });

  it('all rows bad: 400 no_valid_recipients and nothing is created', async () => {
    const before = await s.stack.db.collection('campaigns').countDocuments({ kind: 'bulk' });
    const res = await s.http
      .post(`/v1/connections/${con}/bulk`)
      .set(auth(key))
      .send({ templateId, recipients: [{ to: 'x' }, { to: '+15557660301', variables: [] }] })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'no_valid_recipients' });
    expect(await s.stack.db.collection('campaigns').countDocuments({ kind: 'bulk' })).toBe(before);
    await s.http
      .post(`/v1/connections/${con}/bulk`)
      .set(auth(key))
      .send({ templateId, recipients: [{ to: '+15557660301' }], extra: 1 })
      .expect(400);
  });

  it('another account, or a key restricted to another connection: 404', async () => {
    const res = await s.http
      .post(`/v1/connections/${con}/bulk`)
      .set(auth(key))
      .send({
        templateId,
        pacing: FAST,
        recipients: [{ to: '+15557660401', variables: { first: 'G', code: 'G1' } }],
      })
      .expect(202);
    const other = (await s.stack.account()).key;
    await s.http.get(`/v1/connections/${con}/bulk/${res.body.id}`).set(auth(other)).expect(404);
    await s.http
      .post(`/v1/connections/${con}/bulk`)
      .set(auth(other))
      .send({ templateId, recipients: [{ to: '+15557660402' }] })
      .expect(404);
    // A key of the same account restricted to another connection does not see this one either.
    const spare = await s.http
      .post('/v1/connections')
      .set(auth(key))
      .send({ name: 'spare', driver: 'simulator' })
      .expect(201);
    const limited = await s.http
      .post('/v1/api-keys')
      .set(auth(key))
      .send({ name: 'spare only', connectionIds: [spare.body.id] })
      .expect(201);
    await s.http.get(`/v1/connections/${con}/bulk/${res.body.id}`).set(auth(limited.body.key)).expect(404);
    await s.http
      .post(`/v1/connections/${con}/bulk`)
      .set(auth(limited.body.key))
      .send({ templateId, recipients: [{ to: '+15557660403' }] })
      .expect(404);
    await s.http.get(`/v1/connections/${con}/bulk/${res.body.id}`).set(auth(key)).expect(200);
    const otherCon = await s.readyConnection(other, '+15551230062');
    await s.http.get(`/v1/connections/${otherCon}/bulk/${res.body.id}`).set(auth(other)).expect(404);
    await finished(key, con, res.body.id as string);
  });

  it('bulkJobs limit: one more job is 429 until the running one is over (then its slot is freed)', async () => {
    const starter = (await s.stack.account('starter')).key;
    const c = await s.readyConnection(starter, '+15551230063');
    const tpl = await template(starter);
    const send = (phone: string) =>
      s.http
        .post(`/v1/connections/${c}/bulk`)
        .set(auth(starter))
        .send({
          templateId: tpl,
          pacing: FAST,
          recipients: [{ to: phone, variables: { first: 'H', code: 'H1' } }],
        });
    const first = await send('+15557660501');
    expect(first.status).toBe(202);
    const refused = await send('+15557660502');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'too_many_bulk_jobs',
      details: { resource: 'bulkJobs', limit: 1 },
    });
    await finished(starter, c, first.body.id as string);
    const again = await send('+15557660503');
    expect(again.status).toBe(202);
    await finished(starter, c, again.body.id as string);
  });
});
