import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { pacedRequests, PacedResult } from './bench-api';

/**
 * Same-run baselines for the accept path: what the machine gives at the same rate, in the same
 * minute, without our code in the way. A send's p99 cannot be lower than the storage floor (one
 * insert into FerretDB) plus the HTTP floor (an unauthenticated GET on the same API process);
 * the authenticated GET adds key lookup and rate limiting. The gap between these and the send
 * route is what the platform itself costs.
 */
export interface Baselines {
  /** GET /health/live on the API process: HTTP parsing, routing, middleware. */
  http: PacedResult;
  /** GET /v1/account with the key: authentication, rate limit, the account's cached view (no read). */
  authenticatedGet: PacedResult;
  /** insertOne of a message-sized document, straight from the bench process to FerretDB. */
  insert: PacedResult;
}

export async function measureBaselines(opts: {
  base: string;
  mongoUri: string;
  headers: Record<string, string>;
  rate: number;
  durationS: number;
}): Promise<Baselines> {
  const { base, headers, rate, durationS } = opts;
  const http = await pacedRequests({
    url: `${base}/health/live`,
    headers: {},
    expectStatus: 200,
    rate,
    durationS,
  });
  const authenticatedGet = await pacedRequests({
    url: `${base}/v1/account`,
    headers,
    expectStatus: 200,
    rate,
    durationS,
  });
  const insert = await pacedInserts(opts.mongoUri, rate, durationS);
  return { http, authenticatedGet, insert };
}

/** Open-loop inserts at `rate` (latency from each insert's due time), into a scratch collection. */
async function pacedInserts(uri: string, rate: number, durationS: number): Promise<PacedResult> {
  const conn = await mongoose.createConnection(uri).asPromise();
  const collection = conn.collection('bench_insert_floor');
  const total = Math.round(rate * durationS);
  const times: number[] = [];
  let errors = 0;
  let sent = 0;
  let done = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const fire = (i: number, dueAt: number) => {
      collection
        .insertOne({
          _id: `bench_${process.pid}_${i}` as never,
          accountId: 'acc_bench',
          connectionId: 'con_bench',
          chatId: '15557654321@c.us',
          content: { type: 'text', text: 'Your order has shipped' },
          pending: true,
          createdAt: new Date(),
        })
        .catch(() => errors++)
        .finally(() => {
          times.push(performance.now() - dueAt);
          if (++done === total) resolve();
        });
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) fire(sent, start + (sent++ * 1000) / rate);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  const elapsedS = (performance.now() - start) / 1000;
  await collection.drop().catch(() => undefined);
  await conn.close();
  times.sort((a, b) => a - b);
  return { times, requests: total, rps: total / elapsedS, unexpected: 0, errors };
}
