import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { EventEnvelope } from '@wwb/contracts';
import { EventPublisher } from '@wwb/kafka';
import { testEnv, waitFor } from '@wwb/testing';
import { accountWithKey, bearer, E2eApp, startApi } from '../support/e2e-app';
import { envelope, Receiver, WEBHOOK_TEST_ENV } from './webhook-test.harness';

jest.setTimeout(300_000);

const N = 10_000;
const ROOT = join(__dirname, '../../..');
const env = testEnv({
  ...WEBHOOK_TEST_ENV,
  HTTP_HOST: '127.0.0.1',
  WEBHOOK_RETRY_SCALE: '0.001',
  WEBHOOK_LEASE_MS: '5000',
  WEBHOOK_TIMEOUT_MS: '2000',
});

interface Worker {
  child: ChildProcess;
  exited: Promise<void>;
}

/** The real worker app (`apps/worker/src/main.ts`) in its own process, as in production. */
function startWorker(): Worker {
  // NO_LOSS_WORKER_LOG=<file>: the workers' info logs go there (to see where time goes).
  const logFile = process.env.NO_LOSS_WORKER_LOG;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, HTTP_PORT: '0', LOG_LEVEL: logFile ? 'info' : 'warn' },
    stdio: ['ignore', logFile ? openSync(logFile, 'a') : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0)
        process.stderr.write(`worker exited ${code} ${signal}\n${stderr}\n`);
      resolve();
    }),
  );
  return { child, exited };
}

async function kill(worker: Worker): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

let api: E2eApp;
const receiver = new Receiver();
let worker: Worker | undefined;

beforeAll(async () => {
  api = await startApi(env);
  await receiver.start();
});

afterAll(async () => {
  if (worker) await kill(worker);
  await receiver.stop();
  await api?.close();
});

it(`loses none of ${N} events while the worker is killed -9 three times and the receiver is down for 30 s`, async () => {
  const account = await accountWithKey(api.http, 'enterprise');
  const created = await api.http
    .post('/v1/webhooks')
    .set(bearer(account.key))
    .send({ url: receiver.url, events: ['message.*'] })
    .expect(201);
  const secret = created.body.secret as string;
  const port = receiver.port;

  const uniqueIds = () =>
    new Set(receiver.requests.map((r) => (JSON.parse(r.body) as EventEnvelope).id)).size;
  const log = (msg: string) =>
    process.stdout.write(
      `[no-loss ${new Date().toISOString().slice(11, 19)}] ${msg} (received ${uniqueIds()}/${N})\n`,
    );

  worker = startWorker();
  const published: EventEnvelope[] = [];
  const publisher = api.app.get(EventPublisher);
  const publishing = (async () => {
    for (let i = 0; i < N; i += 250) {
      const chunk = Array.from({ length: Math.min(250, N - i) }, (_, j) =>
        envelope(account.id, {
          type: 'message.e2e_bulk',
          chatId: `chat-${(i + j) % 97}`,
          data: { n: i + j },
        }),
      );
      await publisher.publish(chunk);
      published.push(...chunk);
      await new Promise((r) => setTimeout(r, 250)); // ~1,000 events/s
    }
  })();

  await waitFor(() => uniqueIds() >= 1500, { timeoutMs: 90_000, intervalMs: 50, what: '1500 received' });
  await kill(worker);
  log('worker 1 killed -9');
  worker = startWorker();

  await waitFor(() => uniqueIds() >= 4000, { timeoutMs: 90_000, intervalMs: 50, what: '4000 received' });
  await kill(worker);
  log('worker 2 killed -9');
  worker = startWorker();

  await waitFor(() => uniqueIds() >= 6000, { timeoutMs: 90_000, intervalMs: 50, what: '6000 received' });
  await receiver.stop();
  const downAt = Date.now();
  log('receiver down');
  await new Promise((r) => setTimeout(r, 5000));
  await kill(worker);
  log('worker 3 killed -9 while the receiver is down');
  worker = startWorker();
  await new Promise((r) => setTimeout(r, 30_000 - (Date.now() - downAt)));
  await receiver.start(port);
  log('receiver up again');

  await publishing;
  await waitFor(() => uniqueIds() >= N, {
    timeoutMs: 180_000,
    intervalMs: 200,
    what: `all ${N} events received`,
  });
  log('all received');

  // Every event id at least once; duplicates carry the same webhook-id; every request verifies.
  const wh = new StandardWebhook(secret);
  const webhookIdByEvent = new Map<string, string>();
  let duplicates = 0;
  for (const r of receiver.requests) {
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    const event = wh.verify(r.body, headers) as EventEnvelope;
    const seen = webhookIdByEvent.get(event.id);
    if (seen !== undefined) {
      duplicates++;
      expect(headers['webhook-id']).toBe(seen);
    } else webhookIdByEvent.set(event.id, headers['webhook-id']);
  }
  expect(new Set(webhookIdByEvent.keys())).toEqual(new Set(published.map((e) => e.id)));
  process.stdout.write(
    `[no-loss] ${N} events, ${receiver.requests.length} requests received, ${duplicates} duplicates ` +
      `(${((duplicates / N) * 100).toFixed(2)} %), all with the webhook-id of their first delivery\n`,
  );
});
