import { accountWithKey, bearer, E2eApp, startApi } from './support/e2e-app';

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
