/**
 * Two API processes on one platform (same MongoDB database, same Kafka topics): the per-key rate
 * limit and the failed-authentication throttle hold over both together, not per process.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { WINDOW_COUNTS_COLLECTION } from '@wwb/infrastructure';
import { testEnv, waitFor } from '@wwb/testing';
import { accountWithKey, admin, bearer, E2eApp, startApi } from './support/e2e-app';
import { untilWindowHasRoom } from './support/limit-windows';

jest.setTimeout(120_000);

const BURST = 30; // with 1 per second: 30 requests per 30 s window, over all processes
const RATE_WINDOW_MS = 30_000;
const AUTH_FAILURES = 10;
const AUTH_WINDOW_MS = 60_000;
const SYNC_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wrongOperatorKey = bearer('w'.repeat(40));

describe('limits shared by two API processes (e2e)', () => {
  let one: E2eApp;
  let two: E2eApp;

  beforeAll(async () => {
    const env = testEnv({
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_BURST: String(BURST),
      AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES),
      RATE_LIMIT_SYNC_MS: String(SYNC_MS),
      TRUST_PROXY: '1',
    });
    one = await startApi(env);
    two = await startApi(env);
  });
  afterAll(async () => {
    await two?.app.close();
    await one?.close();
  });

  /**
   * Paces the hammering to the sharing, whatever the load on the database: waits until the
   * processes have published `expected` for `key` in the current window, then for a few sync
   * intervals (a sync that starts after the publication reads it). Without shared counts,
   * nothing is published and this times out.
   */
  async function untilShared(scope: string, windowMs: number, key: string, expected: number): Promise<void> {
    const docs = one.app.get<Connection>(getConnectionToken()).collection(WINDOW_COUNTS_COLLECTION);
    const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
    await waitFor(
      async () => {
        let total = 0;
        for (const doc of await docs.find({ scope, windowStart }).toArray()) {
          const counts = doc.counts as number[];
          (doc.keys as string[]).forEach((k, i) => k === key && (total += counts[i]!));
        }
        return total === expected;
      },
      { intervalMs: 20, what: `${expected} ${scope} counts of ${key} published` },
    );
    await sleep(3 * SYNC_MS);
  }

  it('one key hammered through both gets the shared limit in 2xx, not twice it; another key is unaffected', async () => {
    const hammered = await accountWithKey(one.http, 'enterprise');
    const other = await accountWithKey(one.http, 'enterprise');
    await untilWindowHasRoom(RATE_WINDOW_MS, 15_000);

    const statuses: number[] = [];
    const retryAfter: number[] = [];
    // 2 x 30 requests: each process's own bucket would admit all 30 of its share.
    for (let round = 0; round < BURST; round++) {
      for (const api of [one, two]) {
        const res = await api.http.get('/v1/account').set(bearer(hammered.key));
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.body.code).toBe('rate_limited');
          expect(res.headers['x-ratelimit-limit']).toBe(String(BURST));
          expect(res.headers['x-ratelimit-remaining']).toBe('0');
          retryAfter.push(Number(res.headers['retry-after']));
        }
      }
      const admitted = statuses.filter((s) => s === 200).length;
      await untilShared('rate', RATE_WINDOW_MS, hammered.keyId, admitted);
    }
    const ok = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(ok).toBeGreaterThanOrEqual(BURST);
    // The limit plus what each process admits before it hears of the other (here: one round).
    expect(ok).toBeLessThanOrEqual(BURST + 2);
    // Both processes refuse it until the window ends.
    expect(statuses.slice(-4)).toEqual([429, 429, 429, 429]);
    expect(Math.min(...retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...retryAfter)).toBeLessThanOrEqual(RATE_WINDOW_MS / 1000);

    for (const api of [one, two]) {
      const res = await api.http.get('/v1/account').set(bearer(other.key)).expect(200);
      expect(Number(res.headers['x-ratelimit-remaining'])).toBeGreaterThanOrEqual(BURST - 2);
    }
  });

  it('failed authentications from one address add up over both processes', async () => {
    const valid = await accountWithKey(one.http, 'enterprise');
    const address = '198.51.100.77';
    const from = { 'X-Forwarded-For': address };
    // The valid key verifies on both processes from that address first.
    await one.http.get('/v1/account').set(bearer(valid.key)).set(from).expect(200);
    await two.http.get('/v1/account').set(bearer(valid.key)).set(from).expect(200);
    await untilWindowHasRoom(AUTH_WINDOW_MS, 20_000);

    const statuses: number[] = [];
    for (let round = 0; round < AUTH_FAILURES; round++) {
      for (const api of [one, two]) {
        statuses.push((await api.http.get('/v1/admin/accounts').set(wrongOperatorKey).set(from)).status);
      }
      const recorded = statuses.filter((s) => s === 401).length;
      await untilShared('auth-failures', AUTH_WINDOW_MS, address, recorded);
    }
    const unauthorized = statuses.filter((s) => s === 401).length;
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(unauthorized).toBeGreaterThanOrEqual(AUTH_FAILURES);
    expect(unauthorized).toBeLessThanOrEqual(AUTH_FAILURES + 2);
    expect(statuses.slice(-4)).toEqual([429, 429, 429, 429]);

    // The right keys still work from that address; another address is not affected.
    await two.http.get('/v1/account').set(bearer(valid.key)).set(from).expect(200);
    await one.http.get('/v1/admin/accounts').set(admin).set(from).expect(200);
    await two.http
      .get('/v1/admin/accounts')
      .set(wrongOperatorKey)
      .set({ 'X-Forwarded-For': '198.51.100.78' })
      .expect(401);
  });
});
