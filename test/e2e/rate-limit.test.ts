import { randomBytes } from 'node:crypto';
import { accountWithKey, admin, bearer, E2eApp, startApi } from './support/e2e-app';
import { untilWindowHasRoom } from './support/limit-windows';

/** Failed authentications count per clock minute: a budget spent across a minute boundary resets. */
const freshMinute = () => untilWindowHasRoom(60_000, 15_000);

jest.setTimeout(60_000);

describe('per-key rate limit (e2e)', () => {
  let api: E2eApp;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });
  });
  afterAll(() => api.close());

  it('429 rate_limited with Retry-After once the bucket is empty; other keys are not affected; it refills', async () => {
    const a = await accountWithKey(api.http, 'enterprise');
    const b = await accountWithKey(api.http, 'enterprise');

    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await api.http.get('/v1/account').set(bearer(a.key)).expect(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('3');
      remaining.push(ok.headers['x-ratelimit-remaining'] as string);
    }
    expect(remaining[0]).toBe('2');

    const limited = await api.http.get('/v1/account').set(bearer(a.key)).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    expect(typeof limited.body.requestId).toBe('string');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');

    await api.http.get('/v1/account').set(bearer(b.key)).expect(200);

    await new Promise((r) => setTimeout(r, Number(limited.headers['retry-after']) * 1000 + 50));
    await api.http.get('/v1/account').set(bearer(a.key)).expect(200);
  });
});

/** A well-formed key nobody was issued: it reaches the key lookup. */
const unknownKey = () =>
  `wwb_${randomBytes(32)
    .toString('hex')
    .replace(/[^0-9A-Za-z]/g, '')
    .slice(0, 43)}`;
const wrongOperatorKey = { Authorization: `Bearer ${'w'.repeat(40)}` };

describe('failed-authentication throttling per client address (e2e)', () => {
  let api: E2eApp;

  beforeAll(async () => {
    // One trusted proxy hop: each case poses as its own client address through X-Forwarded-For.
    api = await startApi({ AUTH_FAILURES_PER_MINUTE: '20', TRUST_PROXY: '1' });
  });
  afterAll(() => api.close());

  it('the 21st bad API key from one address gets 429 too_many_auth_failures with Retry-After; a valid key still works', async () => {
    const from = { 'X-Forwarded-For': '198.51.100.21' };
    const a = await accountWithKey(api.http, 'enterprise');
    await api.http.get('/v1/account').set(bearer(a.key)).set(from).expect(200);
    await freshMinute();

    for (let i = 0; i < 20; i++) {
      const res = await api.http.get('/v1/account').set(bearer(unknownKey())).set(from);
      expect([res.status, res.body.code]).toEqual([401, 'invalid_api_key']);
    }
    const limited = await api.http.get('/v1/account').set(bearer(unknownKey())).set(from).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'too_many_auth_failures' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await api.http.get('/v1/account').set({ 'X-API-Key': 'not-even-a-key' }).set(from).expect(429);

    await api.http.get('/v1/account').set(bearer(a.key)).set(from).expect(200);
    // The admin routes share the address's budget.
    await api.http.get('/v1/admin/accounts').set(wrongOperatorKey).set(from).expect(429);
    // Another address is not affected.
    const other = await api.http
      .get('/v1/account')
      .set(bearer(unknownKey()))
      .set({ 'X-Forwarded-For': '198.51.100.22' });
    expect([other.status, other.body.code]).toEqual([401, 'invalid_api_key']);
  });

  it('the admin routes: the 21st wrong operator key gets 429 with Retry-After; the right key still works', async () => {
    const from = { 'X-Forwarded-For': '198.51.100.31' };
    await freshMinute();
    for (let i = 0; i < 20; i++) {
      const res = await api.http.get('/v1/admin/accounts').set(wrongOperatorKey).set(from);
      expect([res.status, res.body.code]).toEqual([401, 'invalid_admin_key']);
    }
    const limited = await api.http.get('/v1/admin/accounts').set(wrongOperatorKey).set(from).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'too_many_auth_failures' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await api.http.get('/v1/admin/accounts').set(admin).set(from).expect(200);
  });
});

describe('failed-authentication throttling without a trusted proxy (e2e)', () => {
  let api: E2eApp;

  beforeAll(async () => {
    api = await startApi({ AUTH_FAILURES_PER_MINUTE: '3', TRUST_PROXY: '0' });
  });
  afterAll(() => api.close());

  it('ignores X-Forwarded-For: a client cannot escape its budget by inventing addresses', async () => {
    await freshMinute();
    for (let i = 0; i < 3; i++) {
      await api.http
        .get('/v1/admin/accounts')
        .set(wrongOperatorKey)
        .set({ 'X-Forwarded-For': `192.0.2.${i}` })
        .expect(401);
    }
    await api.http
      .get('/v1/admin/accounts')
      .set(wrongOperatorKey)
      .set({ 'X-Forwarded-For': '192.0.2.200' })
      .expect(429);
  });
});
