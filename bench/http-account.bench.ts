/**
 * Authenticated `GET /v1/account` under load on loopback.
 *
 *   npm run bench:http   (builds the server first; the API child runs the compiled JavaScript)
 *
 * Starts the API as a child process (its own event loop and core, as in production) against the
 * local FerretDB and Kafka, with a rate limit high enough not to interfere, creates an account and
 * a key, then drives the endpoint:
 *  1. autocannon at overallRate 1,000/s. Note: autocannon's rate limit is bursty: each connection
 *     sends its quota for the second back to back, then waits for the next second, so this run
 *     measures 1,000 requests queued at the top of every second more than a steady 1,000/s;
 *  2. a paced open-loop run: one request every 1 ms on keep-alive connections, latency measured
 *     from the time each request was due (so a stall also counts for the requests it delays);
 *  3. the same paced load from vegeta (bench/support/vegeta.ts), a Go load generator whose timing
 *     is not disturbed by a Node event loop, for GET /health/live (the HTTP floor) and then the
 *     authenticated GET;
 *  4. autocannon unthrottled, for the maximum requests/s.
 * Prints p50 / p99 / p99.9 latency and requests/s. Target: p99 < 5 ms at 1,000 requests/s, read
 * from vegeta's run (the Node loaders' figures are printed beside it: their gap is the client).
 *
 * Settings (environment): BENCH_RATE (1000), BENCH_DURATION_S (20), BENCH_MAX_DURATION_S (10),
 * BENCH_CONNECTIONS (20), BENCH_LOG_LEVEL (warn), BENCH_API_NODE_FLAGS (extra node flags of the API
 * process, e.g. "--max-semi-space-size=32"), BENCH_API_ENTRY (a compiled main.js to run instead of the
 * TypeScript source through @swc-node/register, e.g. dist/apps/api/src/main.js after `npm run build`).
 */
import autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import mongoose from 'mongoose';
import { TEST_METRICS_TOKEN } from '@wwb/testing';
import { benchAccountKey, json, pacedRequests, percentile, startBenchApi } from './support/bench-api';
import { vegetaAttack, VegetaRun } from './support/vegeta';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const MAX_DURATION_S = Number(process.env.BENCH_MAX_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

interface RunFigures {
  label: string;
  requests: number;
  rps: number;
  non2xx: number;
  errors: number;
  /** autocannon's own figures (whole ms, corrected for coordinated omission at a fixed rate). */
  p50: number;
  p99: number;
  max: number;
  /** Our sub-millisecond figures from every response time. */
  exactP50: number;
  exactP99: number;
  exactP999: number;
}

function run(
  label: string,
  url: string,
  headers: Record<string, string>,
  opts: { rate?: number; durationS: number; connections: number },
) {
  return new Promise<RunFigures>((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon(
      {
        url,
        headers,
        connections: opts.connections,
        duration: opts.durationS,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
      },
      (err, result) => {
        if (err) return reject(err);
        times.sort((a, b) => a - b);
        resolve({
          label,
          requests: result.requests.total,
          rps: result.requests.total / result.duration,
          non2xx: result.non2xx,
          errors: result.errors,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          exactP50: percentile(times, 50),
          exactP99: percentile(times, 99),
          exactP999: percentile(times, 99.9),
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      times.push(ms);
    });
  });
}

/** The paced run (bench/support/bench-api.ts) as this bench reports it. */
async function paced(
  label: string,
  url: string,
  headers: Record<string, string>,
  rate: number,
  durationS: number,
): Promise<RunFigures> {
  const r = await pacedRequests({ url, headers, expectStatus: 200, rate, durationS });
  return {
    label,
    requests: r.requests,
    rps: r.rps,
    non2xx: r.unexpected,
    errors: r.errors,
    p50: NaN,
    p99: NaN,
    max: r.times[r.times.length - 1] ?? NaN,
    exactP50: percentile(r.times, 50),
    exactP99: percentile(r.times, 99),
    exactP999: percentile(r.times, 99.9),
  };
}

async function serverFigures(base: string): Promise<string[]> {
  const text = await (
    await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` } })
  ).text();
  const out: string[] = [];
  const buckets = [
    ...text.matchAll(
      /wwb_http_request_duration_seconds_bucket\{le="([^"]+)",method="GET",route="\/v1\/account",status="200"\} (\d+)/g,
    ),
  ];
  const total = Number(buckets.find((b) => b[1] === '+Inf')?.[2] ?? 0);
  if (total) {
    out.push(
      'server-side GET /v1/account: ' +
        buckets
          .filter((b) => ['0.001', '0.0025', '0.005', '0.01', '0.1'].includes(b[1]!))
          .map((b) => `<=${Number(b[1]) * 1000}ms ${((100 * Number(b[2])) / total).toFixed(2)}%`)
          .join(', ') +
        ` of ${total}`,
    );
  }
  const lagMax = /wwb_nodejs_eventloop_lag_max_seconds (\S+)/.exec(text)?.[1];
  const lagP99 = /wwb_nodejs_eventloop_lag_p99_seconds (\S+)/.exec(text)?.[1];
  if (lagMax)
    out.push(
      `API event-loop lag: p99 ${(Number(lagP99) * 1000).toFixed(1)} ms, max ${(Number(lagMax) * 1000).toFixed(1)} ms`,
    );
  const gc = [...text.matchAll(/wwb_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)/g)];
  const kinds = new Map<string, { sum: number; count: number }>();
  for (const [, what, kind, value] of gc) {
    const k = kinds.get(kind!) ?? { sum: 0, count: 0 };
    k[what as 'sum' | 'count'] = Number(value);
    kinds.set(kind!, k);
  }
  if (kinds.size) {
    out.push(
      'API GC: ' +
        [...kinds]
          .map(
            ([kind, k]) => `${kind} ${k.count}x avg ${((k.sum / Math.max(1, k.count)) * 1000).toFixed(1)} ms`,
          )
          .join(', '),
    );
  }
  const slow = [
    ...text.matchAll(/wwb_nodejs_gc_duration_seconds_bucket\{le="(0\.1|1)",kind="major"\} (\d+)/g),
  ];
  if (slow.length) out.push(`API major GCs <=100 ms: ${slow.map((b) => `le ${b[1]}s: ${b[2]}`).join(', ')}`);
  return out;
}

function vegetaLine(r: VegetaRun): string {
  const f = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(2)).padStart(8);
  return `${r.label.padEnd(28)} ${String(r.requests).padStart(8)} ${r.rps.toFixed(0).padStart(7)} ${f(r.p50)} ${f(r.p99)} ${f(r.p999)} ${f(r.max)}   ${''.padEnd(23)} ${String(r.unexpected).padStart(6)} ${String(r.errors).padStart(6)}`;
}

async function main(): Promise<void> {
  const api = await startBenchApi();
  const { base, child, env } = api;
  try {
    const { key } = await benchAccountKey(base);
    const url = `${base}/v1/account`;
    const headers = { Authorization: `Bearer ${key}` };
    await json(url, { headers, expect: 200 });

    const load = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    console.log(`API pid ${child.pid} on ${base}; GET /v1/account, ${CONNECTIONS} connections`);
    console.log(`machine: ${cpus().length} CPUs, load average before the runs ${load()}`);
    await run('warm-up', url, headers, { durationS: 5, connections: CONNECTIONS, rate: RATE });
    const bursty = await run(`autocannon ${RATE}/s, ${DURATION_S} s`, url, headers, {
      rate: RATE,
      durationS: DURATION_S,
      connections: CONNECTIONS,
    });
    const steady = await paced(`paced ${RATE}/s, ${DURATION_S} s`, url, headers, RATE, DURATION_S);
    const vegeta = (label: string, target: string, h: Record<string, string>) =>
      vegetaAttack({
        label,
        method: 'GET',
        url: target,
        headers: h,
        rate: RATE,
        durationS: DURATION_S,
        expectStatus: 200,
      });
    const vegetaFloor = await vegeta(`vegeta /health/live ${RATE}/s`, `${base}/health/live`, {});
    const vegetaSteady = await vegeta(`vegeta ${RATE}/s, ${DURATION_S} s`, url, headers);
    const max = await run(`unthrottled, ${MAX_DURATION_S} s`, url, headers, {
      durationS: MAX_DURATION_S,
      connections: CONNECTIONS,
    });

    const f = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(2)).padStart(8);
    console.log(
      '\nrun                          requests   req/s    p50 ms   p99 ms p99.9 ms   max ms   (autocannon p50/p99 ms)  non2xx errors',
    );
    for (const r of [bursty, steady, max]) {
      const ac = Number.isNaN(r.p50) ? '' : `(${r.p50}/${r.p99})`;
      console.log(
        `${r.label.padEnd(28)} ${String(r.requests).padStart(8)} ${r.rps.toFixed(0).padStart(7)} ${f(r.exactP50)} ${f(r.exactP99)} ${f(r.exactP999)} ${f(r.max)}   ${ac.padEnd(23)} ${String(r.non2xx).padStart(6)} ${String(r.errors).padStart(6)}`,
      );
    }
    for (const r of [vegetaFloor, vegetaSteady]) console.log(vegetaLine(r));
    console.log(`load average after the runs ${load()}`);
    for (const line of await serverFigures(base)) console.log(line);
    const v = vegetaSteady;
    const ok = v.p99 < 5 && v.unexpected === 0 && v.errors === 0;
    console.log(
      `\ntarget p99 < 5 ms at ${RATE} req/s (vegeta, paced): ${ok ? 'MET' : 'NOT MET'} (p99 ${v.p99.toFixed(2)} ms at ${v.rps.toFixed(0)} req/s); ` +
        `Node paced loader p99 ${steady.exactP99.toFixed(2)} ms; autocannon-rate p99 ${bursty.exactP99.toFixed(2)} ms; max ${max.rps.toFixed(0)} req/s`,
    );
    if (bursty.non2xx || steady.non2xx || max.non2xx || v.unexpected || vegetaFloor.unexpected)
      process.exitCode = 1;
  } finally {
    await api.stop();
    const conn = await mongoose.createConnection(env.MONGO_URI!).asPromise();
    await conn.dropDatabase();
    await conn.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
