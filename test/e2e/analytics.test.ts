import { isDeepStrictEqual } from 'node:util';
import { waitFor } from '@wwb/testing';
import { AutomationDriver, chatOf, Json, sleep } from './support/automation-stack';
import { auth } from './support/connections-stack';
import { accountWithKey, CreatedAccount } from './support/e2e-app';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

interface Figures {
  targeted: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  received: number;
  replied: number;
  optedOut: number;
  skipped: Record<string, number>;
}

const ZERO: Figures = {
  targeted: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  received: 0,
  replied: 0,
  optedOut: 0,
  skipped: {},
};
const rate = (n: number, of: number): number | null => (of === 0 ? null : Math.round((n / of) * 1e4) / 1e4);
const withRates = (f: Figures): Json => ({
  ...f,
  rates: {
    delivery: rate(f.delivered, f.sent),
    read: rate(f.read, f.sent),
    reply: rate(f.replied, f.sent),
    optOut: rate(f.optedOut, f.sent),
  },
});
const FAST = { messagesPerMinute: 60, jitter: 0, quietHours: null, pauseEvery: null, frequencyCap: null };
/** Six `vip` contacts; the last one opts out (contacts API) before the run. */
const PHONES = [1, 2, 3, 4, 5, 6].map((i) => `+1555771000${i}`);
const API_PEER = '+15557719999';

/**
 * Analytics end to end (issue 10 §4): the API, a worker (whose `analytics` consumer group counts
 * the events topic), a gateway with the simulator driver, real Kafka and FerretDB. Counting runs
 * seconds behind the events, so every check polls until the figures match, then holds them still
 * for a moment and asserts them exactly: a figure counted twice fails as surely as a missing one.
 */
describe('analytics (e2e)', () => {
  let s: MessagingStack;
  let a: AutomationDriver;
  let owner: CreatedAccount;
  let key: string;
  let con: string;
  /** A second key of the account, used only for a known set of requests (exact API usage). */
  let usageKey: { id: string; key: string };
  let campaignId = '';
  let runId = '';
  /** Requests made with `key` through `get` (a lower bound of what its usage must show). */
  let calls = 0;
  const today = () => new Date().toISOString().slice(0, 10);

  const get = (path: string, k = key) => {
    if (k === key) calls++;
    return s.http.get(path).set(auth(k));
  };
  const send = (text: string, k: string) =>
    s.http.post(`/v1/connections/${con}/messages`).set(auth(k)).send({ to: API_PEER, type: 'text', text });

  const want: Record<'account' | 'connection' | 'campaign', Figures> = {
    account: ZERO,
    connection: ZERO,
    campaign: ZERO,
  };
  const pathOf = (scope: 'account' | 'connection' | 'campaign' | 'run'): string =>
    ({
      account: '/v1/analytics/account',
      connection: `/v1/analytics/connections/${con}`,
      campaign: `/v1/analytics/campaigns/${campaignId}`,
      run: `/v1/analytics/campaigns/${campaignId}/runs/${runId}`,
    })[scope];

  /**
   * Polls `path` until its totals are `expected`, waits a second for anything counted twice, then
   * asserts the totals (rates included), today's row, and zeros on every other day of the range.
   */
  async function expectFigures(path: string, expected: Figures, k = key): Promise<Json> {
    let body: Json = {};
    const read = async () => {
      const res = await get(path, k).expect(200);
      body = res.body as Json;
      return isDeepStrictEqual(body.totals, withRates(expected));
    };
    await waitFor(read, { timeoutMs: 45_000, intervalMs: 250, what: path }).catch(() => undefined);
    await sleep(1_000);
    await read();
    expect(body.totals).toEqual(withRates(expected));
    const days = body.days as Json[];
    expect(days).toHaveLength(30);
    expect(days[29]).toEqual({ date: today(), ...expected });
    for (const day of days.slice(0, 29)) expect(day).toEqual({ date: day.date, ...ZERO });
    return body;
  }

  beforeAll(async () => {
    s = await MessagingStack.start({ API_USAGE_FLUSH_MS: '200' });
    await s.startWorker();
    await s.stack.startGateway();
    owner = await accountWithKey(s.http);
    key = owner.key;
    con = await s.readyConnection(key, '+15551230071');
    a = new AutomationDriver(s, key, con);
    const created = await s.http.post('/v1/api-keys').set(auth(key)).send({ name: 'usage' }).expect(201);
    usageKey = { id: created.body.id as string, key: created.body.key as string };
  });

  afterAll(async () => {
    await s?.close();
  });

  it('counts a campaign run, its statuses, a reply, an opt-out and API sends, per scope and day', async () => {
    const template = await s.http
      .post('/v1/templates')
      .set(auth(key))
      .send({ name: 'news', language: 'en', category: 'marketing', body: 'News for {{contact.name}}' })
      .expect(201);
    const contactIds: string[] = [];
    for (const [i, phone] of PHONES.entries()) {
      const res = await s.http
        .post('/v1/contacts')
        .set(auth(key))
        .send({ phone, name: `C${i + 1}`, tags: ['vip'] })
        .expect(201);
      contactIds.push(res.body.id as string);
    }
    await s.http.post(`/v1/contacts/${contactIds[5]}/opt-out`).set(auth(key)).send({}).expect(200);
    const campaign = await s.http
      .post('/v1/campaigns')
      .set(auth(key))
      .send({
        name: 'news',
        connectionIds: [con],
        templateId: template.body.id,
        audience: { tags: ['vip'] },
        schedule: { type: 'once', at: `${new Date().getUTCFullYear() + 1}-01-15T09:00`, timeZone: 'UTC' },
        pacing: FAST,
      })
      .expect(201);
    campaignId = campaign.body.id as string;
    const started = await s.http.post(`/v1/campaigns/${campaignId}/run-now`).set(auth(key)).expect(202);
    runId = started.body.runId as string;
    await waitFor(
      async () =>
        (await get(`/v1/campaigns/${campaignId}/runs/${runId}`).expect(200)).body.state === 'completed',
      { timeoutMs: 60_000, intervalMs: 300, what: `run ${runId} completed` },
    );

    // Every pending recipient's message is in its chat (the simulator acks each one delivered).
    const sent = new Map<string, string>();
    for (const phone of PHONES.slice(0, 5)) {
      const [m] = await a.waitOutgoing(chatOf(phone), 1, (x) => !!x.waMessageId);
      expect(m).toMatchObject({ source: 'campaign', body: expect.stringMatching(/^News for C\d$/) });
      sent.set(phone, m!.waMessageId as string);
    }
    const ack = (phone: string, status: string) =>
      s.http
        .post(`/v1/connections/${con}/simulator/ack`)
        .set(auth(key))
        .send({ messageId: sent.get(phone), status })
        .expect(204);
    // Read by the first two (the first twice), one late "delivered" again: each counts once.
    await ack(PHONES[0]!, 'read');
    await ack(PHONES[1]!, 'read');
    await ack(PHONES[0]!, 'read');
    await ack(PHONES[2]!, 'delivered');
    // The third replies, the fourth opts out (automation confirms it with one message of its own).
    await a.inbound(PHONES[2]!, 'Sounds good, tell me more');
    await a.inbound(PHONES[3]!, 'STOP');
    const [, confirmation] = await a.waitOutgoing(chatOf(PHONES[3]!), 2);
    expect(confirmation).toMatchObject({ source: 'opt_out' });
    await send('Your order has shipped', usageKey.key).expect(202);
    await send('It arrives tomorrow', usageKey.key).expect(202);

    // 5 campaign messages, 2 API sends, 1 opt-out confirmation: all acked delivered by the simulator.
    // A STOP is an inbound message within the reply window, so it counts as a reply as well.
    const campaignFigures: Figures = {
      ...ZERO,
      targeted: 6,
      skipped: { opted_out: 1 },
      sent: 5,
      delivered: 5,
      read: 2,
      replied: 2,
      optedOut: 1,
    };
    want.campaign = campaignFigures;
    want.connection = { ...campaignFigures, targeted: 0, skipped: {}, sent: 8, delivered: 8, received: 2 };
    want.account = { ...want.connection, targeted: 6, skipped: { opted_out: 1 } };

    const run = await expectFigures(pathOf('run'), want.campaign);
    expect(run).toMatchObject({ scope: 'run', id: runId, to: today(), timeZone: 'UTC' });
    const byCampaign = await expectFigures(pathOf('campaign'), want.campaign);
    expect(byCampaign).toMatchObject({ scope: 'campaign', id: campaignId });
    const byConnection = await expectFigures(pathOf('connection'), want.connection);
    expect(byConnection).toMatchObject({ scope: 'connection', id: con });
    const byAccount = await expectFigures(pathOf('account'), want.account);
    expect(byAccount).toMatchObject({ scope: 'account', id: owner.id });
  });

  it('exports the campaign days as CSV', async () => {
    const res = await get(`${pathOf('campaign')}?from=${today()}&to=${today()}&format=csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename=".*\.csv"/);
    const c = want.campaign;
    const row = [today(), c.targeted, c.sent, c.delivered, c.read, c.failed, c.received, c.replied];
    const todayRow = [...row, c.optedOut, c.skipped.opted_out].join(',');
    expect(res.text).toBe(
      `date,targeted,sent,delivered,read,failed,received,replied,opted_out,skipped_opted_out\r\n${todayRow}\r\n`,
    );
    // Over the default 30 days: one row each, the earlier ones zero.
    const month = await get(`${pathOf('campaign')}?format=csv`).expect(200);
    const rows = month.text.trimEnd().split('\r\n');
    expect(rows).toHaveLength(31);
    for (const r of rows.slice(1, 30)) expect(r).toMatch(/^\d{4}-\d{2}-\d{2}(,0){9}$/);
    expect(rows[30]).toBe(todayRow);
  });

  it('counts API usage per key: requests, accepted messages, error answers', async () => {
    await send('', usageKey.key).expect(400);
    await get('/v1/analytics/campaigns/cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', usageKey.key).expect(404);
    // The usage key made 4 requests: 2 sends accepted (202), 1 refused (400), 1 not found (404).
    const exact = { requests: 4, messages: 2, errors: 2 };
    const callsBefore = calls;
    let body: Json = {};
    const keyOf = (id: string) => (body.keys as Json[] | undefined)?.find((k) => k.apiKeyId === id);
    const mainTotals = () => (keyOf(owner.keyId)?.totals ?? {}) as Json;
    await waitFor(
      async () => {
        body = (await get('/v1/analytics/api-keys').expect(200)).body as Json;
        const mainCaughtUp = (mainTotals().requests as number) >= callsBefore;
        return mainCaughtUp && isDeepStrictEqual(keyOf(usageKey.id)?.totals, exact);
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'usage of the usage key' },
    ).catch(() => undefined);
    expect(body).toMatchObject({ to: today(), timeZone: 'UTC' });
    const usage = keyOf(usageKey.id)!;
    expect(usage.totals).toEqual(exact);
    const days = usage.days as Json[];
    expect(days).toHaveLength(30);
    expect(days[29]).toEqual({ date: today(), ...exact });
    // The owner's key: at least every call made with it before (more were made outside `get`).
    expect(mainTotals().requests).toBeGreaterThanOrEqual(callsBefore);
    expect(mainTotals().messages).toBe(0);

    const csv = await get(`/v1/analytics/api-keys?from=${today()}&to=${today()}&format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,api_key_id,requests,messages,errors');
    expect(lines).toContain(`${today()},${usageKey.id},4,2,2`);
    expect(lines.some((l) => l.startsWith(`${today()},${owner.keyId},`))).toBe(true);
  });

  it('keeps accounts apart, and account-wide figures from a key restricted to connections', async () => {
    const other = await s.stack.account();
    for (const scope of ['campaign', 'run', 'connection'] as const) {
      const res = await get(pathOf(scope), other.key).expect(404);
      expect(res.body).toMatchObject({ code: 'not_found' });
    }
    await expectFigures(pathOf('account'), ZERO, other.key);
    const theirs = (await get('/v1/analytics/api-keys', other.key).expect(200)).body as Json;
    expect((theirs.keys as Json[]).map((k) => k.apiKeyId)).not.toContain(usageKey.id);

    const restricted = await s.http
      .post('/v1/api-keys')
      .set(auth(key))
      .send({ name: 'one connection', connectionIds: [con] })
      .expect(201);
    const r = restricted.body.key as string;
    for (const path of ['/v1/analytics/account', '/v1/analytics/api-keys']) {
      const res = await get(path, r).expect(403);
      expect(res.body).toMatchObject({ code: 'forbidden_scope' });
    }
    await expectFigures(pathOf('connection'), want.connection, r);
    await expectFigures(pathOf('campaign'), want.campaign, r);
  });

  it('answers bad input with its code', async () => {
    const base = '/v1/analytics/account';
    const cases: [string, number, string][] = [
      ['?from=2025-02-30', 400, 'invalid_date'],
      ['?to=07.03.2025', 400, 'invalid_date'],
      ['?from=2025-03-02&to=2025-03-01', 400, 'invalid_range'],
      // 2024 is a leap year: Jan 1 to Dec 31 is 366 days, one more is too long.
      ['?from=2024-01-01&to=2025-01-01', 400, 'range_too_long'],
      ['?timeZone=Mars/Olympus_Mons', 400, 'invalid_time_zone'],
      ['?format=xml', 400, 'validation_failed'],
    ];
    for (const [query, status, code] of cases) {
      const res = await get(`${base}${query}`).expect(status);
      expect({ query, code: res.body.code }).toEqual({ query, code });
    }
    const longest = await get(`${base}?from=2024-01-01&to=2024-12-31`).expect(200);
    expect(longest.body.days).toHaveLength(366);
    const wrongRun = await get(`/v1/analytics/campaigns/${campaignId}/runs/cmp_X_20260101T0900`).expect(404);
    expect(wrongRun.body).toMatchObject({ code: 'not_found' });

    // Another zone cuts the days elsewhere; today's figures still fall inside the last 30 days.
    const zoned = await get(`${base}?timeZone=Pacific/Kiritimati`).expect(200);
    expect(zoned.body).toMatchObject({ timeZone: 'Pacific/Kiritimati', totals: withRates(want.account) });
  });

  it('a new worker counts on from the committed offsets: one more message moves the figures by one', async () => {
    await s.worker!.close();
    s.worker = undefined;
    await s.startWorker();
    // The third recipient writes again: received moves, its campaign message was answered already.
    await a.inbound(PHONES[2]!, 'And one more question');
    want.account = { ...want.account, received: want.account.received + 1 };
    want.connection = { ...want.connection, received: want.connection.received + 1 };
    await expectFigures(pathOf('account'), want.account);
    await expectFigures(pathOf('connection'), want.connection);
    await expectFigures(pathOf('campaign'), want.campaign);
    await expectFigures(pathOf('run'), want.campaign);
  });
});
