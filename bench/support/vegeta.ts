import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './bench-api';
import { repoRoot } from './repo-root';

/**
 * Open-loop load from vegeta (Go, github.com/tsenart/vegeta), installed on first use into
 * .tools/bin with the Go toolchain.
 *
 * Why a second load generator: the Node loaders (autocannon, pacedRequests) share the bench
 * process's event loop, so their own GC pauses and timer lag land in the latencies they report.
 * Same run, an unauthenticated GET /health/live measured with the Node loader had a p99 of 5 to
 * 7 ms at 500/s while the API served 99.7% of requests within 1 ms. vegeta sends at a constant
 * rate from its own goroutines and times each request from the moment it is written, so what it
 * reports is the server and the loopback, not the client. Both are printed, side by side.
 */
export const VEGETA_VERSION = 'v12.13.0';

export interface VegetaRun {
  label: string;
  requests: number;
  rps: number;
  /** Responses with another status than the expected one. */
  unexpected: number;
  /** Requests that got no response (connection errors, timeouts). */
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

function exited(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('close', resolve);
  });
}

export function vegetaBinary(): string {
  const root = repoRoot();
  const bin = join(root, '.tools', 'bin', 'vegeta');
  if (existsSync(bin)) return bin;
  console.log(`installing vegeta ${VEGETA_VERSION} into .tools/bin (go install, first time only)`);
  const res = spawnSync('go', ['install', `github.com/tsenart/vegeta/v12@${VEGETA_VERSION}`], {
    env: { ...process.env, GOBIN: join(root, '.tools', 'bin') },
    stdio: 'inherit',
  });
  if (res.status !== 0 || !existsSync(bin)) throw new Error('could not install vegeta with `go install`');
  return bin;
}

/**
 * `rate` requests/s for `durationS` seconds on keep-alive connections; latencies in ms from
 * vegeta's per-request results (`vegeta encode`), so the percentiles are exact.
 */
export async function vegetaAttack(opts: {
  label: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  rate: number;
  durationS: number;
  expectStatus: number;
}): Promise<VegetaRun> {
  const bin = vegetaBinary();
  const target = {
    method: opts.method,
    url: opts.url,
    header: Object.fromEntries(Object.entries(opts.headers).map(([k, v]) => [k, [v]])),
    ...(opts.body !== undefined ? { body: Buffer.from(opts.body).toString('base64') } : {}),
  };
  // Results go to a file and are decoded after the run: `vegeta encode` running alongside took
  // CPU from the server it measures (2 cores here).
  const dir = mkdtempSync(join(tmpdir(), 'vegeta-'));
  const results = join(dir, 'results.bin');
  let text: string;
  try {
    const attack = spawn(
      bin,
      [
        'attack',
        '-format=json',
        `-rate=${opts.rate}/s`,
        `-duration=${opts.durationS}s`,
        '-timeout=10s',
        '-keepalive=true',
        `-output=${results}`,
      ],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    attack.stdin.end(JSON.stringify(target) + '\n');
    const attackCode = await exited(attack);
    if (attackCode !== 0) throw new Error(`vegeta attack exited with ${attackCode}`);
    const encode = spawnSync(bin, ['encode', '--to=json', results], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (encode.status !== 0) throw new Error(`vegeta encode exited with ${encode.status}`);
    text = encode.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const times: number[] = [];
  let unexpected = 0;
  let errors = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as { code: number; latency: number; timestamp: string; error: string };
    const at = Date.parse(r.timestamp);
    first = Math.min(first, at);
    last = Math.max(last, at);
    if (r.code === 0 || r.error) errors++;
    else if (r.code !== opts.expectStatus) unexpected++;
    times.push(r.latency / 1e6);
  }
  times.sort((a, b) => a - b);
  const spanS = Math.max(0.001, (last - first) / 1000);
  return {
    label: opts.label,
    requests: times.length,
    rps: times.length / spanS,
    unexpected,
    errors,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    p999: percentile(times, 99.9),
    max: times[times.length - 1] ?? NaN,
  };
}
