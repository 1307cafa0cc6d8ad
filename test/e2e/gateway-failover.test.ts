/**
 * Multi-node fail-over: three gateway PROCESSES share the connections through the `gateway`
 * consumer group; one is killed with SIGKILL and its connections come back `ready` on the
 * others, restored from the session store in Mongo (no new scan).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EventEnvelope } from '@wwb/contracts';
import { waitFor } from '@wwb/testing';
import { TopicReader } from '../support/kafka-test.harness';
import { auth, ConnectionsStack } from './support/connections-stack';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '../..');
const CONNECTIONS = 6;

interface Gateway {
  child: ChildProcess;
  pid: number;
  nodeId?: string;
  joined: boolean;
  exited: Promise<number | null>;
  log: string[];
}

let stack: ConnectionsStack;
let events: TopicReader;
const gateways: Gateway[] = [];

/** The connection events (status, QR) of `ids` read from the events topic, in their order. */
function connectionEvents(ids: string[], since: number): EventEnvelope[] {
  return events.messages
    .map((m) => JSON.parse(m.value!.toString()) as EventEnvelope)
    .filter(
      (e) =>
        ids.includes(e.connectionId!) &&
        (e.type === 'connection.status' || e.type === 'connection.qr') &&
        Date.parse(e.occurredAt) >= since,
    );
}

const statusesOf = (list: EventEnvelope[], id: string): string[] =>
  list
    .filter((e) => e.connectionId === id && e.type === 'connection.status')
    .map((e) => (e.data as { status: string }).status);

function startGateway(): Gateway {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/gateway/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...stack.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const gw: Gateway = {
    child,
    pid: child.pid!,
    joined: false,
    log: [],
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    gw.log.push(line);
    if (gw.log.length > 400) gw.log.shift();
    try {
      const entry = JSON.parse(line) as { msg?: string; nodeId?: string };
      if (entry.nodeId && !gw.nodeId) gw.nodeId = entry.nodeId;
      if (entry.msg === 'consumer joined its group') gw.joined = true;
    } catch {
      // not a log line
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => gw.log.push(chunk.toString()));
  gateways.push(gw);
  return gw;
}

async function stopGateway(gw: Gateway): Promise<void> {
  if (gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGTERM');
  const timer = setTimeout(() => gw.child.kill('SIGKILL'), 30_000);
  await gw.exited;
  clearTimeout(timer);
}

/** Latest state document of each connection: which gateway runs it. */
async function owners(ids: string[]): Promise<Map<string, { nodeId: string; status: string }>> {
  const rows = await stack.db
    .collection<{ connectionId: string; epoch: number; nodeId: string; status: string }>('connection_states')
    .find({ connectionId: { $in: ids } })
    .toArray();
  const out = new Map<string, { nodeId: string; status: string; epoch: number }>();
  for (const r of rows) {
    const seen = out.get(r.connectionId);
    if (!seen || seen.epoch < r.epoch)
      out.set(r.connectionId, { nodeId: r.nodeId, status: r.status, epoch: r.epoch });
  }
  return out;
}

beforeAll(async () => {
  stack = await ConnectionsStack.start({
    KAFKA_COMMANDS_PARTITIONS: '6',
    GATEWAY_SESSION_TIMEOUT_MS: '6000',
    GATEWAY_HANDOFF_WAIT_MS: '20000',
    SHUTDOWN_TIMEOUT_MS: '10000',
  });
  events = await new TopicReader(stack.config, stack.config.kafka.topics.events.name).start();
});

afterAll(async () => {
  await events?.stop();
  await Promise.all(gateways.map((g) => stopGateway(g)));
  await stack?.close();
});

it('connections of a gateway killed with SIGKILL come back ready on the others, without a new scan', async () => {
  for (let i = 0; i < 3; i++) startGateway();
  await waitFor(() => gateways.every((g) => g.joined && g.nodeId), {
    timeoutMs: 120_000,
    intervalMs: 250,
    what: 'three gateways joined the group',
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${gateways.map((g) => g.log.slice(-20).join('\n')).join('\n---\n')}`);
  });
  // Every partition owned by someone (the group has settled with its three members).
  await waitFor(
    async () => {
      const nodes = await stack.db.collection<{ partitions: number[] }>('gateway_nodes').find().toArray();
      const owned = nodes.flatMap((n) => n.partitions);
      return nodes.length === 3 && new Set(owned).size === 6 && nodes.every((n) => n.partitions.length > 0);
    },
    { timeoutMs: 90_000, intervalMs: 500, what: 'the six partitions spread over the three gateways' },
  );

  const { key } = await stack.account('enterprise');
  const ids: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const res = await stack.http
      .post('/v1/connections')
      .set(auth(key))
      .send({ name: `fo-${i}` })
      .expect(201);
    ids.push(res.body.id as string);
  }
  const phones = new Map<string, string>();
  for (const [i, id] of ids.entries()) {
    await stack.waitForStatus(key, id, 'qr', 60_000);
    const phone = `1555000${String(i).padStart(4, '0')}`;
    await stack.http
      .post(`/v1/connections/${id}/simulator/scan`)
      .set(auth(key))
      .send({ phoneNumber: phone })
      .expect(200);
    phones.set(id, phone);
  }
  for (const id of ids) await stack.waitForStatus(key, id, 'ready', 60_000);

  // The victim: the gateway running the most connections.
  const before = await owners(ids);
  const byNode = new Map<string, string[]>();
  for (const [id, o] of before) byNode.set(o.nodeId, [...(byNode.get(o.nodeId) ?? []), id]);
  expect(byNode.size).toBeGreaterThan(1);
  const [victimNode, victimConnections] = [...byNode.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  const victim = gateways.find((g) => g.nodeId === victimNode)!;
  expect(victim).toBeDefined();

  const killedAt = Date.now();
  victim.child.kill('SIGKILL');
  await victim.exited;

  // Every connection is ready again, none on the dead node, each with its phone: restored, not re-scanned.
  await waitFor(
    async () => {
      const now = await owners(ids);
      return [...now.values()].every((o) => o.status === 'ready' && o.nodeId !== victimNode);
    },
    { timeoutMs: 120_000, intervalMs: 250, what: 'every connection ready on a live gateway' },
  );
  const failoverMs = Date.now() - killedAt;
  for (const id of ids) {
    const view = await stack.waitForStatus(key, id, 'ready');
    expect(view.phoneNumber).toBe(phones.get(id));
  }
  const after = await owners(ids);
  for (const id of victimConnections) expect(after.get(id)!.nodeId).not.toBe(victimNode);
  process.stdout.write(
    `fail-over: ${victimConnections.length} connections of the killed gateway ready on the others ${failoverMs} ms after SIGKILL\n`,
  );

  // The survivors shut down cleanly on SIGTERM: sessions saved, then the process ends.
  const survivors = gateways.filter((g) => g !== victim);
  for (const g of survivors) g.child.kill('SIGTERM');
  await Promise.all(survivors.map((g) => g.exited));
  for (const g of survivors) {
    expect(g.log.some((line) => line.includes('gateway node stopped; sessions saved'))).toBe(true);
  }
  const released = await owners(ids);
  expect([...released.values()].map((o) => o.status)).toEqual(ids.map(() => 'stopped'));

  // Every status and QR event of the moved connections from the kill to their final stop: the
  // takeover is seen (ready again, then stopped), and not one QR code or `qr` status in between.
  await waitFor(
    () =>
      victimConnections.every((id) => statusesOf(connectionEvents(ids, killedAt), id).includes('stopped')),
    {
      timeoutMs: 30_000,
      what: 'the events topic read up to the stop of every moved connection',
    },
  );
  const sinceKill = connectionEvents(victimConnections, killedAt);
  for (const id of victimConnections) {
    const statuses = statusesOf(sinceKill, id);
    expect(statuses).toContain('ready');
    expect(statuses).not.toContain('qr');
  }
  expect(sinceKill.filter((e) => e.type === 'connection.qr')).toEqual([]);
  // The reader does see QR codes: each connection showed one before its first scan.
  const fromStart = connectionEvents(victimConnections, 0);
  for (const id of victimConnections) {
    expect(fromStart.some((e) => e.connectionId === id && e.type === 'connection.qr')).toBe(true);
  }
});
