/**
 * The per-key rate limit and the failed-authentication throttle of two API processes (two
 * limiter instances, each with its own counts and buckets) sharing the real FerretDB: together
 * they admit about the limit per window, not twice it.
 */
import { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@wwb/config';
import { AuthFailureLimiterService, RateLimiterService } from '@wwb/accounts';
import { WindowCountRepository, WindowCountsModule } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { ManualClock, startContext, stopContext } from '../infrastructure/infrastructure.harness';

jest.setTimeout(60_000);

const clock = new ManualClock();
let context: INestApplicationContext;

beforeAll(async () => {
  context = await startContext({ imports: [WindowCountsModule] }, clock);
});

afterAll(async () => {
  await stopContext(context);
});

// Sync by hand (RATE_LIMIT_SYNC_MS 0 keeps the timers off): the test decides what each
// process has seen, and the clock does not move, so everything falls in one window.
const config = {
  auth: { rateLimitBurst: 40, rateLimitPerSecond: 1, authFailuresPerMinute: 12, limitSyncMs: 0 },
} as AppConfig;
const rateProcess = () =>
  new RateLimiterService(config, clock, context.get(WindowCountRepository), context.get(AppLogger));
const authProcess = () =>
  new AuthFailureLimiterService(config, clock, context.get(WindowCountRepository), context.get(AppLogger));

const PER_SYNC = 4;

it('two processes hammering one key admit the window limit plus at most what they admit between syncs', async () => {
  const [a, b] = [rateProcess(), rateProcess()];
  expect(a.limit).toBe(40);
  let admitted = 0;
  const refusals: number[] = [];
  for (let round = 0; round < 25; round++) {
    for (let i = 0; i < PER_SYNC; i++) {
      for (const p of [a, b]) {
        const res = p.take('key_hammered');
        if (res.allowed) admitted++;
        else refusals.push(res.retryAfterSeconds);
      }
    }
    await Promise.all([a.sync(), b.sync()]);
  }
  // Alone, each process's bucket admits 40: 80 without the shared counts.
  expect(admitted).toBeGreaterThanOrEqual(40);
  expect(admitted).toBeLessThanOrEqual(40 + 2 * PER_SYNC);
  // Refused until the window (40 s) ends, on both processes.
  expect(a.take('key_hammered').allowed).toBe(false);
  expect(b.take('key_hammered').allowed).toBe(false);
  expect(Math.max(...refusals)).toBeLessThanOrEqual(40);
  // Another key is not affected, on either process.
  expect(a.take('key_other')).toMatchObject({ allowed: true, remaining: 39 });
  await a.sync(); // a publishes, then b reads
  await b.sync();
  expect(b.take('key_other')).toMatchObject({ allowed: true, remaining: 38 });
});

it('failed authentications from one address add up over both processes', async () => {
  const [a, b] = [authProcess(), authProcess()];
  let letThrough = 0;
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 2; i++) {
      for (const p of [a, b]) {
        if (p.retryAfterSeconds('198.51.100.9') === 0) {
          letThrough++;
          p.recordFailure('198.51.100.9');
        }
      }
    }
    await Promise.all([a.sync(), b.sync()]);
  }
  // Alone, each process lets 12 through: 24 without the shared counts.
  expect(letThrough).toBeGreaterThanOrEqual(12);
  expect(letThrough).toBeLessThanOrEqual(12 + 2 * 2);
  expect(a.retryAfterSeconds('198.51.100.9')).toBeGreaterThan(0);
  expect(b.retryAfterSeconds('198.51.100.9')).toBeGreaterThan(0);
  expect(b.retryAfterSeconds('198.51.100.10')).toBe(0);
});
