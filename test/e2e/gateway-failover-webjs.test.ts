/**
 * Session fail-over with the real whatsapp-web.js driver (Chromium against the fake WhatsApp Web
 * page): two gateway PROCESSES, each with its own Chromium profiles; the one running a linked
 * connection dies (SIGKILL, with its browser: the machine is gone) and the other restores the
 * session from the store in Mongo: the connection is `ready` there without a new QR code.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEnvelope } from '@wwb/contracts';
import { waitFor } from '@wwb/testing';
import { connectionMarker, killMarkedProcesses } from '@wwb/whatsapp';
import { TopicReader } from '../support/kafka-test.harness';
import { auth, ConnectionsStack } from './support/connections-stack';

jest.setTimeout(400_000);

const ROOT = join(__dirname, '../..');
const PHONE = '15551230042';

interface Gateway {
  child: ChildProcess;
  nodeId?: string;
  dataDir: string;
  exited: Promise<number | null>;
  log: string[];
}

let stack: ConnectionsStack;
let events: TopicReader;
const gateways: Gateway[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'wwb-failover-webjs-'));
let connectionId: string | undefined;
let scanRef = 0;

function startGateway(): Gateway {
  const own = mkdtempSync(join(dataDir, 'node-'));
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'test/e2e/support/webjs-gateway.main.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stack.env,
        FAKE_WEB_DATA_DIR: own,
        WHATSAPP_DATA_DIR: own,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const gw: Gateway = {
    child,
    dataDir: own,
    log: [],
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  const keep = (chunk: Buffer) => {
    gw.log.push(chunk.toString());
    if (gw.log.length > 200) gw.log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('message', (m: { op: string; nodeId?: string }) => {
    if (m.op === 'ready') gw.nodeId = m.nodeId;
  });
  gateways.push(gw);
  return gw;
}

/** The fake page of `gw` is scanned by the phone. */
function scan(gw: Gateway, id: string, phone: string): Promise<void> {
  const ref = ++scanRef;
  return new Promise((resolve, reject) => {
    const onMessage = (m: { op: string; ref?: number; error?: string }) => {
      if (m.op !== 'scanned' || m.ref !== ref) return;
      gw.child.off('message', onMessage);
      if (m.error) reject(new Error(m.error));
      else resolve();
    };
    gw.child.on('message', onMessage);
    gw.child.send({ op: 'scan', ref, connectionId: id, phone });
  });
}

async function stopGateway(gw: Gateway): Promise<void> {
  if (gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGTERM');
  const timer = setTimeout(() => gw.child.kill('SIGKILL'), 30_000);
  await gw.exited;
  clearTimeout(timer);
}

/** Latest state document of the connection: which gateway runs it, and its status. */
async function owner(id: string): Promise<{ nodeId: string; status: string } | undefined> {
  const [latest] = await stack.db
    .collection<{ connectionId: string; epoch: number; nodeId: string; status: string }>('connection_states')
    .find({ connectionId: id })
    .sort({ epoch: -1 })
    .limit(1)
    .toArray();
  return latest && { nodeId: latest.nodeId, status: latest.status };
}

/** Status and QR events of the connection read from the events topic, in their order. */
function connectionEvents(id: string, since: number): EventEnvelope[] {
  return events.messages
    .map((m) => JSON.parse(m.value!.toString()) as EventEnvelope)
    .filter(
      (e) =>
        e.connectionId === id &&
        (e.type === 'connection.status' || e.type === 'connection.qr') &&
        Date.parse(e.occurredAt) >= since,
    );
}

const statuses = (list: EventEnvelope[]): string[] =>
  list.filter((e) => e.type === 'connection.status').map((e) => (e.data as { status: string }).status);

beforeAll(async () => {
  stack = await ConnectionsStack.start({
    WHATSAPP_DRIVER: 'webjs',
    WHATSAPP_DATA_DIR: dataDir,
    GATEWAY_SESSION_TIMEOUT_MS: '6000',
    GATEWAY_HANDOFF_WAIT_MS: '20000',
    SHUTDOWN_TIMEOUT_MS: '15000',
  });
  events = await new TopicReader(stack.config, stack.config.kafka.topics.events.name).start();
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => stopGateway(g)));
  if (connectionId) await killMarkedProcesses(connectionMarker(connectionId));
  await events?.stop();
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a webjs connection of a gateway killed with SIGKILL is ready on the other gateway, without a new QR', async () => {
  startGateway();
  startGateway();
  await waitFor(() => gateways.every((g) => g.nodeId), {
    timeoutMs: 120_000,
    intervalMs: 250,
    what: 'two webjs gateways joined the group',
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${gateways.map((g) => g.log.slice(-20).join('')).join('\n---\n')}`);
  });
  await waitFor(
    async () => {
      const nodes = await stack.db.collection<{ partitions: number[] }>('gateway_nodes').find().toArray();
      return nodes.length === 2 && nodes.every((n) => n.partitions.length > 0);
    },
    { timeoutMs: 90_000, intervalMs: 500, what: 'the partitions spread over both gateways' },
  );

  const { key } = await stack.account();
  const created = await stack.http
    .post('/v1/connections')
    .set(auth(key))
    .send({ name: 'webjs fail-over', driver: 'webjs' })
    .expect(201);
  const id = created.body.id as string;
  connectionId = id;
  await stack.waitForStatus(key, id, 'qr', 120_000);
  const first = (await owner(id))!;
  const victim = gateways.find((g) => g.nodeId === first.nodeId)!;
  const survivor = gateways.find((g) => g !== victim)!;
  expect(victim).toBeDefined();
  await scan(victim, id, PHONE);
  await stack.waitForStatus(key, id, 'ready', 120_000);

  // Only a session already backed up to the store can move: wait for the first backup.
  await waitFor(
    async () =>
      (await stack.db
        .collection('whatsapp_sessions.files')
        .countDocuments({ filename: `RemoteAuth-${id}.zip` })) > 0,
    { timeoutMs: 90_000, intervalMs: 500, what: 'the session backed up to Mongo' },
  );

  const killedAt = Date.now();
  victim.child.kill('SIGKILL');
  await victim.exited;
  await killMarkedProcesses(connectionMarker(id)); // its browser dies with the machine

  await waitFor(
    async () => {
      const now = await owner(id);
      return now?.status === 'ready' && now.nodeId === survivor.nodeId;
    },
    { timeoutMs: 180_000, intervalMs: 500, what: 'the connection ready on the surviving gateway' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${survivor.log.slice(-30).join('')}`);
  });
  const failoverMs = Date.now() - killedAt;
  const view = await stack.waitForStatus(key, id, 'ready');
  expect(view.phoneNumber).toBe(PHONE);

  // Every status and QR of the connection since the kill: ready again, never a QR code.
  await waitFor(() => statuses(connectionEvents(id, killedAt)).includes('ready'), {
    timeoutMs: 30_000,
    what: 'the ready status after the kill on the events topic',
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const sinceKill = connectionEvents(id, killedAt);
  expect(statuses(sinceKill)).not.toContain('qr');
  expect(sinceKill.filter((e) => e.type === 'connection.qr')).toEqual([]);
  // The reader does see QR codes: the connection showed one before its first scan.
  expect(connectionEvents(id, 0).some((e) => e.type === 'connection.qr')).toBe(true);
  process.stdout.write(`webjs fail-over: ready on the other gateway ${failoverMs} ms after SIGKILL\n`);

  await stopGateway(survivor);
  expect((await owner(id))!.status).toBe('stopped');
});
