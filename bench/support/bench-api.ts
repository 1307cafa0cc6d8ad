/* Scaffolding the HTTP benches share: a free port, an API child process on it, small helpers. */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TEST_ADMIN_KEY, testEnv, waitFor } from '@wwb/testing';

const ROOT = join(__dirname, '../..');

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function json<T>(url: string, init: RequestInit & { expect: number }): Promise<T> {
  const res = await fetch(url, init);
  if (res.status !== init.expect)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** An enterprise account and an API key through the admin API. */
export async function benchAccountKey(
  base: string,
): Promise<{ accountId: string; key: string; headers: Record<string, string> }> {
  const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };
  const account = await json<{ id: string }>(`${base}/v1/admin/accounts`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'bench', plan: 'enterprise' }),
    expect: 201,
  });
  const { key } = await json<{ key: string }>(`${base}/v1/admin/accounts/${account.id}/api-keys`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'bench' }),
    expect: 201,
  });
  return {
    accountId: account.id,
    key,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
  };
}

/** An enterprise account, a key and a simulator connection through the API; `scan` links it (ready). */
export async function benchAccount(
  base: string,
  scan: boolean,
): Promise<{ key: string; connectionId: string; accountId: string; headers: Record<string, string> }> {
  const { accountId, key, headers } = await benchAccountKey(base);
  const con = await json<{ id: string }>(`${base}/v1/connections`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'bench', driver: 'simulator' }),
    expect: 201,
  });
  if (scan) {
    const status = async (wanted: string) =>
      waitFor(
        async () =>
          (await json<{ status: string }>(`${base}/v1/connections/${con.id}`, { headers, expect: 200 }))
            .status === wanted,
        { timeoutMs: 60_000, intervalMs: 100, what: `connection ${wanted}` },
      );
    await status('qr');
    await json(`${base}/v1/connections/${con.id}/simulator/scan`, {
      method: 'POST',
      headers,
      body: '{}',
      expect: 200,
    });
    await status('ready');
  }
  return { key, connectionId: con.id, accountId, headers };
}

export interface BenchApi {
  base: string;
  env: Record<string, string>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the API as a child process on a free loopback port with its own test database and
 * topics, rate limits out of the way, and waits until /health/ready answers 200.
 * BENCH_API_NODE_FLAGS adds node flags; BENCH_API_ENTRY runs a compiled entry instead of the source.
 */
export async function startBenchApi(overrides: Record<string, string> = {}): Promise<BenchApi> {
  const port = await freePort();
  const env = testEnv({
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ...overrides,
  });
  const base = `http://127.0.0.1:${port}`;
  const nodeFlags = (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const entry = process.env.BENCH_API_ENTRY;
  const args = entry ? [entry] : ['-r', '@swc-node/register', 'apps/api/src/main.ts'];
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...(entry ? { NODE_PATH: join(ROOT, 'node_modules') } : {}) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await once(child, 'exit');
    clearTimeout(timer);
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
        return fetch(`${base}/health/ready`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the API to be ready' },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, env, child, stop };
}

export interface PacedResult {
  /** Latency of every request from the moment it was due (sorted, ms). */
  times: number[];
  requests: number;
  rps: number;
  /** Answers with another status than `expectStatus`. */
  unexpected: number;
  errors: number;
}

/**
 * Open loop at a steady rate: request i is due at start + i / rate, whatever happened before,
 * and its latency counts from then (no coordinated omission).
 */
export async function pacedRequests(opts: {
  url: string;
  method?: string;
  headers: Record<string, string>;
  body?: string;
  expectStatus: number;
  rate: number;
  durationS: number;
}): Promise<PacedResult> {
  const { url, headers, body, expectStatus, rate } = opts;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * opts.durationS);
  const times: number[] = [];
  let unexpected = 0;
  let errors = 0;
  let sent = 0;
  let done = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const finish = () => {
      if (++done === total) resolve();
    };
    const fire = (dueAt: number) => {
      const req = request(url, { agent, method: opts.method ?? 'GET', headers }, (res) => {
        res.resume();
        res.on('end', () => {
          times.push(performance.now() - dueAt);
          if (res.statusCode !== expectStatus) unexpected++;
          finish();
        });
      });
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) fire(start + (sent++ * 1000) / rate);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { times, requests: total, rps: total / elapsedS, unexpected, errors };
}
