import { commandPartition } from '@wwb/kafka';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(240_000);

type Json = Record<string, unknown>;

const FLOOD = 100;
const B_SENDS = 5;

/**
 * Issue 9 §1: a command for one connection must never delay another connection's commands.
 * Account A floods a connection that waits for its QR scan (never ready on its own); account B's
 * connection shares its commands partition. Before per-connection lanes, each of A's sends held
 * the partition for two ready waits (2 x GATEWAY_SESSION_TIMEOUT_MS/3) and B's sends queued
 * behind all of them, for minutes.
 */
describe('gateway isolation (e2e): a connection that is not ready never blocks another', () => {
  let s: MessagingStack;
  let keyA: string;
  let keyB: string;
  let conB: string;
  let unscanned: string;

  beforeAll(async () => {
    // A's sends stay pending (not failed) for the whole test unless they are sent, and the
    // sweeper re-publishes nothing meanwhile: once A is linked, its parked sends must be resumed
    // by the gateway itself (ParkedSendsService on `ready`).
    s = await MessagingStack.start({
      MESSAGE_READY_TIMEOUT_MS: '180000',
      MESSAGE_REQUEUE_AFTER_MS: '170000',
    });
    await s.startWorker();
    await s.stack.startGateway();
    keyA = (await s.stack.account('enterprise')).key;
    keyB = (await s.stack.account()).key;
    conB = await s.readyConnection(keyB, '+15551239001');
    const partitions = s.stack.config.kafka.topics.commands.partitions;
    // A connection of A on the same commands partition as B's.
    for (let i = 0; i < 40 && !unscanned; i++) {
      const created = await s.http
        .post('/v1/connections')
        .set(auth(keyA))
        .send({ name: `flooded ${i}`, driver: 'simulator' })
        .expect(201);
      const id = created.body.id as string;
      if (commandPartition(id, partitions) === commandPartition(conB, partitions)) unscanned = id;
      else await s.http.delete(`/v1/connections/${id}`).set(auth(keyA)).expect(204);
    }
    expect(unscanned).toBeDefined();
    await s.stack.waitForStatus(keyA, unscanned, 'qr');
  });

  afterAll(async () => {
    await s?.close();
  });

  it("B's sends go out while A's flood waits; A's own pairing code is not stuck behind its sends; A's sends go once it is linked", async () => {
    const flood: string[] = [];
    for (let i = 0; i < FLOOD; i++) {
      const res = await s.http
        .post(`/v1/connections/${unscanned}/messages`)
        .set(auth(keyA))
        .send({ to: '+15557654322', type: 'text', text: `flood ${i}` })
        .expect(202);
      flood.push(res.body.id as string);
    }
    // B's sends, behind the whole flood on the same partition, are sent.
    const sentB: Json[] = [];
    for (let i = 0; i < B_SENDS; i++) {
      const res = await s.http
        .post(`/v1/connections/${conB}/messages`)
        .set(auth(keyB))
        .send({ to: '+15557651111', type: 'text', text: `b ${i}` })
        .expect(202);
      sentB.push(
        await s.waitForMessage(keyB, conB, res.body.id as string, (m) => m.status !== 'queued', 30_000),
      );
    }
    expect(sentB.map((m) => m.status)).toEqual(
      Array(B_SENDS).fill(expect.stringMatching(/^(sent|delivered)$/)),
    );
    // Meanwhile not one of A's messages was sent or failed: they wait for the connection.
    const statusesA = await Promise.all(
      [flood[0]!, flood[FLOOD - 1]!].map(
        async (id) =>
          (await s.http.get(`/v1/connections/${unscanned}/messages/${id}`).set(auth(keyA)).expect(200)).body
            .status,
      ),
    );
    expect(statusesA).toEqual(['queued', 'queued']);

    // A's pairing code (same connection, behind its own flood) is answered, not timed out.
    const code = await s.http
      .post(`/v1/connections/${unscanned}/pairing-code`)
      .set(auth(keyA))
      .send({ phoneNumber: '+15551239002' });
    expect(code.status).toBe(200);
    expect(code.body.code).toEqual(expect.any(String));
    // Linked: every parked send goes out, once.
    await s.http
      .post(`/v1/connections/${unscanned}/simulator/scan`)
      .set(auth(keyA))
      .send({ phoneNumber: '+15551239002' })
      .expect(200);
    await s.stack.waitForStatus(keyA, unscanned, 'ready');
    for (const id of flood) {
      const m = await s.waitForMessage(keyA, unscanned, id, (x) => x.status !== 'queued', 60_000);
      expect(m.error).toBeNull();
      expect(m.status).toMatch(/^(sent|delivered)$/);
    }
    const chat = await s.http
      .get(`/v1/connections/${unscanned}/chats/15557654322@c.us/messages?limit=200`)
      .set(auth(keyA))
      .expect(200);
    const bodies = (chat.body.data as Json[])
      .map((m) => m.body as string)
      .filter((b) => b.startsWith('flood '));
    expect(bodies).toHaveLength(FLOOD);
    expect(new Set(bodies).size).toBe(FLOOD);
  });
});
