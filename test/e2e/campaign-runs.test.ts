import { get as httpGet } from 'node:http';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A campaign run end to end against the real Kafka and FerretDB, the simulator driver, the
 * worker's scheduler and the gateway's paced dispatch: the audience is read when the run starts,
 * opted-out, missing and unrenderable contacts are skipped with their reason, the others get
 * their own rendered message once, paced, and the run's marks add up.
 */
describe('campaign runs (e2e)', () => {
  let s: MessagingStack;
  let key: string;
  let accountId: string;
  let con: string;

  beforeAll(async () => {
    s = await MessagingStack.start();
    await s.startWorker();
    await s.stack.startGateway();
    const account = await s.stack.account();
    key = account.key;
    accountId = account.id;
    con = await s.readyConnection(key, '+15551230041');
  });

  afterAll(async () => {
    await s?.close();
  });

  async function contact(body: Json): Promise<string> {
    const res = await s.http.post('/v1/contacts').set(auth(key)).send(body).expect(201);
    return res.body.id as string;
  }

  async function chatTexts(phoneDigits: string): Promise<string[]> {
    const res = await s.http
      .get(`/v1/connections/${con}/chats/${phoneDigits}@c.us/messages?limit=200`)
      .set(auth(key));
    return res.status === 200 ? (res.body.data as Json[]).map((m) => m.body as string) : [];
  }

  it('a one-off run: rendered per contact, skipped with reasons, each sent once and paced', async () => {
    const template = await s.http
      .post('/v1/templates')
      .set(auth(key))
      .send({
        name: 'weekly offer',
        language: 'en',
        category: 'marketing',
        body: 'Hi {{contact.name}}, {{offer}} in {{contact.attributes.city}}',
        variables: [{ name: 'offer', example: '10% off' }],
      })
      .expect(201);
    const anna = await contact({
      phone: '+15557650041',
      name: 'Anna',
      tags: ['vip'],
      attributes: { city: 'Berlin' },
    });
    const ben = await contact({ phone: '+15557650042', name: 'Ben', tags: ['vip'] });
    const cleo = await contact({
      phone: '+15557650043',
      name: 'Cleo',
      tags: ['vip'],
      attributes: { city: 'Paris' },
    });
    await s.http.post(`/v1/contacts/${cleo}/opt-out`).set(auth(key)).send({}).expect(200);
    const dan = await contact({ phone: '+15557650044', name: 'Dan', attributes: { city: 'Rome' } });
    await contact({ phone: '+15557650045', name: 'Eve', tags: ['other'], attributes: { city: 'Oslo' } });
    const missing = 'ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';

    const at = new Date(Date.now() + 2_000).toISOString();
    const created = await s.http
      .post('/v1/campaigns')
      .set(auth(key))
      .send({
        name: 'offer',
        connectionIds: [con],
        templateId: template.body.id,
        variables: { offer: '20% off' },
        audience: { tags: ['vip'], contactIds: [dan, missing] },
        schedule: { type: 'once', at, timeZone: 'UTC' },
        pacing: { messagesPerMinute: 30, jitter: 0, quietHours: null, pauseEvery: null, frequencyCap: null },
      })
      .expect(201);
    const campaignId = created.body.id as string;

    const recipients = s.stack.db.collection('campaign_recipients');
    const marks = s.stack.db.collection('campaign_run_marks');
    let runId = '';
    await waitUntil(async () => {
      const run = await s.stack.db.collection('campaign_runs').findOne({ campaignId });
      runId = (run?._id as unknown as string) ?? '';
      return !!run && !!(await marks.findOne({ _id: `${runId}/completed` as never }));
    }, 60_000);

    const rows = await recipients.find({ runId }).toArray();
    const byContact = new Map(rows.map((r) => [r.contactId as string, r]));
    expect(byContact.get(anna)).toMatchObject({ state: 'pending', phone: '+15557650041' });
    expect(byContact.get(dan)).toMatchObject({ state: 'pending' });
    expect(byContact.get(ben)).toMatchObject({ state: 'skipped', reason: 'template_render_failed' });
    expect(byContact.get(cleo)).toMatchObject({ state: 'skipped', reason: 'opted_out' });
    expect(byContact.get(missing)).toMatchObject({ state: 'skipped', reason: 'contact_not_found' });
    expect(rows).toHaveLength(5);
    const planned = await marks.findOne({ _id: `${runId}/planned` as never });
    expect(planned?.data).toMatchObject({
      targeted: 5,
      pending: 2,
      skipped: { opted_out: 1, template_render_failed: 1, contact_not_found: 1 },
    });

    // Each pending recipient got its own message once, under the id planned for it.
    const sends = await s.stack.db.collection('campaign_sends').find({ runId }).sort({ at: 1 }).toArray();
    expect(sends.map((x) => x.contactId).sort()).toEqual([anna, dan].sort());
    for (const send of sends) {
      const planned = byContact.get(send.contactId as string)!;
      expect(send).toMatchObject({ outcome: 'claimed', messageId: planned.messageId });
      const message = await s.waitForMessage(key, con, planned.messageId as string, (m) =>
        ['sent', 'delivered', 'read'].includes(m.status as string),
      );
      expect(message).toMatchObject({ source: 'campaign' });
    }
    // 30 a minute without jitter: the second send came at least 2 s after the first.
    const gap = (sends[1]!.at as Date).getTime() - (sends[0]!.at as Date).getTime();
    expect(gap).toBeGreaterThanOrEqual(1_900);

    // The run's events, as the event log (and webhooks) got them.
    type Stored = { type: string; data: Json };
    const runEvents = async (): Promise<Stored[]> =>
      (
        await s.stack.db
          .collection('events')
          .find({ accountId, type: /^campaign\./ })
          .toArray()
      )
        .map((e) => JSON.parse(e.envelopeJson as string) as Stored)
        .filter((e) => e.data.runId === runId);
    let found: Stored[] = [];
    await waitUntil(async () => {
      found = await runEvents();
      return found.some((e) => e.type === 'campaign.run.completed');
    }, 20_000);
    expect(found.map((e) => e.type).sort()).toEqual([
      'campaign.recipient.sent',
      'campaign.recipient.sent',
      'campaign.run.completed',
      'campaign.run.progress',
      'campaign.run.started',
    ]);
    const data = (type: string) => found.find((e) => e.type === type)!.data;
    expect(data('campaign.run.started')).toMatchObject({
      campaignId,
      targeted: 5,
      pending: 2,
      kind: 'scheduled',
    });
    expect(data('campaign.run.progress')).toMatchObject({
      connectionId: con,
      sent: 2,
      skipped: 0,
      failed: 0,
      remaining: 0,
    });
    expect(data('campaign.run.completed')).toMatchObject({ campaignId, outcome: 'completed' });

    await sleep(1_500);
    expect(await chatTexts('15557650041')).toEqual(['Hi Anna, 20% off in Berlin']);
    expect(await chatTexts('15557650044')).toEqual(['Hi Dan, 20% off in Rome']);
    expect(await chatTexts('15557650042')).toEqual([]);
    expect(await chatTexts('15557650043')).toEqual([]);
    expect(await chatTexts('15557650045')).toEqual([]);

    // The report adds up: 5 recipients, 3 skipped with their reasons, 2 sent (or further).
    const report = await s.http.get(`/v1/campaigns/${campaignId}/runs/${runId}`).set(auth(key)).expect(200);
    const c = report.body.counts as Record<string, number>;
    expect(report.body).toMatchObject({
      id: runId,
      campaignId,
      kind: 'scheduled',
      state: 'completed',
      skipped: { opted_out: 1, template_render_failed: 1, contact_not_found: 1 },
      failed: {},
    });
    expect(c.skipped).toBe(3);
    expect(c.sent + c.delivered + c.read).toBe(2);
    expect(Object.values(c).reduce((a, b) => a + b, 0)).toBe(5);
    const listed = await s.http.get(`/v1/campaigns/${campaignId}/runs`).set(auth(key)).expect(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: runId, state: 'completed' })]);
    const page = await s.http
      .get(`/v1/campaigns/${campaignId}/runs/${runId}/recipients?status=skipped`)
      .set(auth(key))
      .expect(200);
    expect((page.body.data as Json[]).map((r) => r.reason).sort()).toEqual([
      'contact_not_found',
      'opted_out',
      'template_render_failed',
    ]);
    expect(page.body.data.find((r: Json) => r.reason === 'template_render_failed').detail).toMatch(/city/);

    // Another account sees none of it.
    const other = await s.stack.account();
    await s.http.get(`/v1/campaigns/${campaignId}/runs`).set(auth(other.key)).expect(404);
    await s.http.get(`/v1/campaigns/${campaignId}/runs/${runId}`).set(auth(other.key)).expect(404);
    await s.http.get(`/v1/campaigns/${campaignId}/runs/${runId}/recipients`).set(auth(other.key)).expect(404);
    await s.http.post(`/v1/campaigns/${campaignId}/run-now`).set(auth(other.key)).expect(404);
    await s.http.post(`/v1/campaigns/${campaignId}/dry-run`).set(auth(other.key)).expect(404);
  });

  it('dry run, run now while paused, resume, quiet hours, cancel, and the frequency cap across campaigns', async () => {
    const template = await s.http
      .post('/v1/templates')
      .set(auth(key))
      .send({
        name: 'spring',
        language: 'en',
        category: 'marketing',
        body: 'Spring sale for {{contact.name}}',
      })
      .expect(201);
    const fay = await contact({ phone: '+15557650051', name: 'Fay', tags: ['spring'], timeZone: 'UTC' });
    await contact({ phone: '+15557650052', name: 'Gus', tags: ['spring'], timeZone: 'Asia/Tokyo' });
    // Quiet hours around now in Tokyo: Gus waits, Fay (9 hours earlier) does not.
    const tokyo = (offsetMs: number) =>
      new Date(Date.now() + 9 * 3_600_000 + offsetMs).toISOString().slice(11, 16);
    const base = {
      connectionIds: [con],
      templateId: template.body.id,
      schedule: { type: 'once', at: `${new Date().getUTCFullYear() + 1}-01-15T09:00`, timeZone: 'UTC' },
    };
    const campaign = await s.http
      .post('/v1/campaigns')
      .set(auth(key))
      .send({
        ...base,
        name: 'spring',
        audience: { tags: ['spring'] },
        pacing: {
          messagesPerMinute: 60,
          jitter: 0,
          pauseEvery: null,
          frequencyCap: null,
          quietHours: { start: tokyo(-3_600_000), end: tokyo(2 * 3_600_000) },
        },
      })
      .expect(201);
    const id = campaign.body.id as string;

    const dry = await s.http.post(`/v1/campaigns/${id}/dry-run`).set(auth(key)).expect(200);
    expect(dry.body).toMatchObject({ targeted: 2, pending: 2, skipped: {}, connections: [con] });
    expect((dry.body.samples as Json[]).map((x) => x.text).sort()).toEqual([
      'Spring sale for Fay',
      'Spring sale for Gus',
    ]);
    expect((await s.http.get(`/v1/campaigns/${id}/runs`).set(auth(key)).expect(200)).body.data).toEqual([]);

    await s.http.post(`/v1/campaigns/${id}/pause`).set(auth(key)).expect(200);
    const started = await s.http.post(`/v1/campaigns/${id}/run-now`).set(auth(key)).expect(202);
    const runId = started.body.runId as string;
    const report = async () =>
      (await s.http.get(`/v1/campaigns/${id}/runs/${runId}`).set(auth(key)).expect(200)).body as Json;
    await waitUntil(async () => (await report()).state === 'running', 20_000);
    // Live progress: a stream that reports until the run ends.
    const progress = readEvents(`${s.stack.baseUrl}/v1/campaigns/${id}/runs/${runId}/progress`, key);
    await waitUntil(async () => progress.events.length > 0, 10_000);
    expect(progress.events[0]).toMatchObject({
      event: 'progress',
      data: { runId, state: 'running', targeted: 2, remaining: 2, sent: 0 },
    });
    const busy = await s.http.post(`/v1/campaigns/${id}/run-now`).set(auth(key)).expect(409);
    expect(busy.body).toMatchObject({ code: 'run_in_progress', details: { runId } });
    await sleep(3_000);
    expect((await report()).counts).toMatchObject({ pending: 2 });
    expect(await chatTexts('15557650051')).toEqual([]);

    await s.http.post(`/v1/campaigns/${id}/resume`).set(auth(key)).expect(200);
    await waitUntil(async () => (await chatTexts('15557650051')).length === 1, 20_000);
    await sleep(3_000);
    const resumed = await report();
    expect(resumed.state).toBe('running');
    expect((resumed.counts as Json).pending).toBe(1);
    expect(await chatTexts('15557650052')).toEqual([]);

    await s.http.post(`/v1/campaigns/${id}/cancel`).set(auth(key)).expect(200);
    await waitUntil(async () => (await report()).state === 'cancelled', 20_000);
    expect(await chatTexts('15557650052')).toEqual([]);
    await progress.ended;
    expect(progress.events.some((e) => e.event === 'progress' && (e.data as Json).sent === 1)).toBe(true);
    expect(progress.events[progress.events.length - 1]).toEqual({
      event: 'end',
      data: { runId, state: 'cancelled' },
    });

    // Another campaign to Fay within the day: her frequency cap (1 per 24 h) skips her.
    const again = await s.http
      .post('/v1/campaigns')
      .set(auth(key))
      .send({
        ...base,
        name: 'spring again',
        audience: { contactIds: [fay] },
        pacing: {
          messagesPerMinute: 60,
          jitter: 0,
          quietHours: null,
          frequencyCap: { max: 1, perHours: 24 },
        },
      })
      .expect(201);
    const second = await s.http.post(`/v1/campaigns/${again.body.id}/run-now`).set(auth(key)).expect(202);
    const secondReport = async () =>
      (
        await s.http
          .get(`/v1/campaigns/${again.body.id}/runs/${second.body.runId}`)
          .set(auth(key))
          .expect(200)
      ).body as Json;
    await waitUntil(async () => (await secondReport()).state === 'completed', 30_000);
    expect(await secondReport()).toMatchObject({
      skipped: { frequency_capped: 1 },
      counts: { skipped: 1, sent: 0 },
    });
    expect(await chatTexts('15557650051')).toEqual(['Spring sale for Fay']);
  });
});

/** Reads a Server-Sent Events stream in the background until it ends. */
function readEvents(
  url: string,
  key: string,
): { events: { event: string; data: unknown }[]; ended: Promise<void> } {
  const events: { event: string; data: unknown }[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    httpGet(url, { headers: auth(key) }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          events.push({ event, data: data ? JSON.parse(data) : null });
        }
      });
      res.on('end', () => resolve());
    }).on('error', reject);
  });
  return { events, ended };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error('timed out');
}
