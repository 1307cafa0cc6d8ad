import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@wwb/testing';
import {
  AUTOMATION_TEST_ENV,
  AutomationDriver,
  chatOf,
  ruleCacheCatchUp,
  sleep,
} from './support/automation-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '../..');
const PEERS = ['+15558000001', '+15558000002', '+15558000003', '+15558000004'];
const PER_PEER = 12;
const TOTAL = PEERS.length * PER_PEER;

interface Worker {
  child: ChildProcess;
  exited: Promise<void>;
}

/** The real worker app in its own process, running only the automation consumer set. */
function startAutomationWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, HTTP_PORT: '0', LOG_LEVEL: 'warn', WORKER_CONSUMERS: 'automation' },
    stdio: ['ignore', 'ignore', 'pipe'],
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

describe('automation under a crash (e2e: the automation worker is killed -9 mid-stream)', () => {
  let s: MessagingStack;
  let a: AutomationDriver;
  let worker: Worker | undefined;

  beforeAll(async () => {
    // This process runs the API, the gateway and a worker without the automation set; the
    // automation set runs in a child process that the test kills.
    s = await MessagingStack.start({
      ...AUTOMATION_TEST_ENV,
      AUTOMATION_MAX_REPLIES_PER_CHAT: '1000',
      WORKER_CONSUMERS: 'event-log,messaging',
    });
    await s.startWorker();
    await s.stack.startGateway();
    const account = await s.stack.account('enterprise');
    const con = await s.readyConnection(account.key, '+15551239999');
    a = new AutomationDriver(s, account.key, con);
    await a.rule({
      name: 'Answer everything',
      conditions: { mode: 'all', items: [] },
      actions: [{ type: 'reply', text: 'Thanks, we got your message' }],
    });
    await ruleCacheCatchUp();
  });

  afterAll(async () => {
    if (worker) await kill(worker);
    await s?.close();
  });

  it(`answers each of ${TOTAL} inbound messages exactly once although the worker dies in the middle`, async () => {
    worker = startAutomationWorker(s.stack.env);
    const replies = async () =>
      (await Promise.all(PEERS.map((p) => a.outgoing(chatOf(p))))).reduce((n, list) => n + list.length, 0);

    let sent = 0;
    const sendSome = async (n: number) => {
      for (let i = 0; i < n; i++, sent++) {
        const peer = PEERS[sent % PEERS.length]!;
        await a.inbound(peer, `message ${sent}`);
      }
    };

    await sendSome(TOTAL / 2);
    await waitFor(async () => (await replies()) >= 6, { timeoutMs: 90_000, what: 'first replies' });
    await kill(worker); // mid-stream: some turns done, some in flight, offsets partly uncommitted
    worker = undefined;
    await sendSome(TOTAL / 2);
    await sleep(1000);
    worker = startAutomationWorker(s.stack.env);

    await waitFor(async () => (await replies()) >= TOTAL, {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'all replies',
    });
    await sleep(3000); // anything sent twice would show by now

    for (const peer of PEERS) {
      const out = await a.outgoing(chatOf(peer));
      expect(out).toHaveLength(PER_PEER);
      for (const m of out)
        expect(m).toMatchObject({ body: 'Thanks, we got your message', source: 'auto_reply' });
    }
    // Stored messages: one per inbound event, each answering a different one.
    const stored = await s.stack.db
      .collection('messages')
      .find({ connectionId: a.connectionId, 'origin.source': 'auto_reply' })
      .toArray();
    const triggers = stored.map((m) => (m.origin as { triggerEventId: string }).triggerEventId);
    expect(stored).toHaveLength(TOTAL);
    expect(new Set(triggers).size).toBe(TOTAL);
  });
});
