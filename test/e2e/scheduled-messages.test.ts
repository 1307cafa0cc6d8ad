import type { NestExpressApplication } from '@nestjs/platform-express';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { startHttpRole } from '@wwb/http';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;
const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Scheduled single messages (POST .../messages with sendAt) against the real Kafka and FerretDB,
 * the simulator driver and the worker's runner: sent once at their time under the id they were
 * given, rescheduled, cancelled, failed with a reason, and never lost or doubled by a restart or
 * by two workers.
 */
describe('scheduled messages (e2e)', () => {
  let s: MessagingStack;
  let key: string;
  let con: string;

  beforeAll(async () => {
    s = await MessagingStack.start({ PLAN_LIMITS: '{"starter":{"scheduledMessages":2}}' });
    await s.startWorker();
    await s.stack.startGateway();
    key = (await s.stack.account()).key;
    con = await s.readyConnection(key, '+15551230031');
  });

  afterAll(async () => {
    await s?.close();
  });

  const schedule = (body: Json, k = key, connection = con) =>
    s.http.post(`/v1/connections/${connection}/messages`).set(auth(k)).send(body);

  /** How many times the phone's chat with `to` holds `text` (each send is one message there). */
  async function copies(text: string, to = '15557650031@c.us'): Promise<number> {
    const chat = await s.http
      .get(`/v1/connections/${con}/chats/${to}/messages?limit=200`)
      .set(auth(key))
      .expect(200);
    return (chat.body.data as Json[]).filter((m) => m.body === text).length;
  }

  it('is scheduled, readable, then sent once at its time under the same id', async () => {
    const text = `scheduled ${Date.now()}`;
    const sendAt = inMs(3_000);
    const res = await schedule({ to: '+15557650031', type: 'text', text, sendAt }).expect(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^msg_/), status: 'scheduled', sendAt });
    const id = res.body.id as string;

    const waiting = await s.http.get(`/v1/connections/${con}/messages/${id}`).set(auth(key)).expect(200);
    expect(waiting.body).toMatchObject({
      status: 'scheduled',
      sendAt,
      source: 'scheduled',
      waMessageId: null,
    });
    const list = await s.http.get(`/v1/connections/${con}/scheduled-messages`).set(auth(key)).expect(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id, status: 'scheduled', sendAt, type: 'text' }),
    ]);
    expect(await copies(text)).toBe(0);

    const sent = await s.waitForMessage(key, con, id, (m) => m.status === 'sent' || m.status === 'delivered');
    expect(sent).toMatchObject({
      id,
      source: 'scheduled',
      sendAt,
      waMessageId: expect.stringMatching(/^true_/),
    });
    expect(Date.parse(sent.createdAt as string)).toBeGreaterThanOrEqual(Date.parse(sendAt));
    await s.http.get(`/v1/connections/${con}/scheduled-messages/${id}`).set(auth(key)).expect(404);
    await s.waitForChatMessage(key, con, '15557650031@c.us', (m) => m.body === text);
    await sleep(1_500);
    expect(await copies(text)).toBe(1);
  });

  it('is rescheduled or cancelled while it waits; a cancelled one never goes out', async () => {
    const moved = `moved ${Date.now()}`;
    const dropped = `dropped ${Date.now()}`;
    const a = await schedule({ to: '+15557650031', type: 'text', text: moved, sendAt: inMs(600_000) }).expect(
      202,
    );
    const b = await schedule({ to: '+15557650031', type: 'text', text: dropped, sendAt: inMs(4_000) }).expect(
      202,
    );

    const newTime = inMs(1_500);
    const patched = await s.http
      .patch(`/v1/connections/${con}/scheduled-messages/${a.body.id}`)
      .set(auth(key))
      .send({ sendAt: newTime })
      .expect(200);
    expect(patched.body).toMatchObject({ id: a.body.id, status: 'scheduled', sendAt: newTime });
    await s.http.delete(`/v1/connections/${con}/scheduled-messages/${b.body.id}`).set(auth(key)).expect(204);
    await s.http.get(`/v1/connections/${con}/messages/${b.body.id}`).set(auth(key)).expect(404);
    await s.http.delete(`/v1/connections/${con}/scheduled-messages/${b.body.id}`).set(auth(key)).expect(404);

    await s.waitForMessage(
      key,
      con,
      a.body.id as string,
      (m) => m.status === 'sent' || m.status === 'delivered',
    );
    // Past b's old sendAt: it stays unsent.
    await sleep(5_000);
    expect(await copies(dropped)).toBe(0);
    expect(await copies(moved)).toBe(1);
    const again = await s.http
      .patch(`/v1/connections/${con}/scheduled-messages/${a.body.id}`)
      .set(auth(key))
      .send({ sendAt: inMs(60_000) });
    expect(again.status).toBe(404);
  });

  it('refuses bad times and bodies with codes, hides other accounts, and holds the plan limit', async () => {
    const base = { to: '+15557650031', type: 'text', text: 'hi' };
    const code = async (body: Json) => (await schedule(body).expect(400)).body.code as string;
    expect(await code({ ...base, sendAt: '2026-12-24T09:00:00' })).toBe('invalid_send_at');
    expect(await code({ ...base, sendAt: inMs(-3_600_000) })).toBe('send_at_in_past');
    expect(await code({ ...base, sendAt: inMs(400 * 86_400_000) })).toBe('send_at_too_far');
    expect(await code({ ...base, sendAt: 12 })).toBe('validation_failed');
    expect(await code({ to: '+15557650031', type: 'text', sendAt: inMs(60_000) })).toBe('text_required');

    const mine = await schedule({ ...base, sendAt: inMs(600_000) }).expect(202);
    const bad = await s.http
      .patch(`/v1/connections/${con}/scheduled-messages/${mine.body.id}`)
      .set(auth(key))
      .send({ sendAt: 'soon' })
      .expect(400);
    expect(bad.body.code).toBe('invalid_send_at');

    const other = await s.stack.account('starter');
    const paths = [
      `/v1/connections/${con}/scheduled-messages/${mine.body.id}`,
      `/v1/connections/${con}/scheduled-messages`,
    ];
    for (const path of paths) await s.http.get(path).set(auth(other.key)).expect(404);
    await s.http
      .patch(paths[0]!)
      .set(auth(other.key))
      .send({ sendAt: inMs(60_000) })
      .expect(404);
    await s.http.delete(paths[0]!).set(auth(other.key)).expect(404);
    await s.http.get(`/v1/connections/${con}/messages/${mine.body.id}`).set(auth(other.key)).expect(404);

    // Starter here: 2 scheduled messages at most (PLAN_LIMITS); a cancel gives one back.
    const otherCon = await s.readyConnection(other.key, '+15551230032');
    const later = { ...base, sendAt: inMs(600_000) };
    const first = await schedule(later, other.key, otherCon).expect(202);
    await schedule(later, other.key, otherCon).expect(202);
    const refused = await schedule(later, other.key, otherCon).expect(429);
    expect(refused.body).toMatchObject({ code: 'too_many_scheduled_messages' });
    expect(refused.headers['retry-after']).toBeDefined();
    await s.http
      .delete(`/v1/connections/${otherCon}/scheduled-messages/${first.body.id}`)
      .set(auth(other.key))
      .expect(204);
    await schedule(later, other.key, otherCon).expect(202);
    await s.http
      .delete(`/v1/connections/${con}/scheduled-messages/${mine.body.id}`)
      .set(auth(key))
      .expect(204);
  });

  it('fails with the reason when the connection was logged out (stopped) by its time', async () => {
    const gone = await s.readyConnection(key, '+15551230033');
    const res = await schedule(
      { to: '+15557650031', type: 'text', text: 'too late', sendAt: inMs(2_000) },
      key,
      gone,
    ).expect(202);
    await s.http
      .post(`/v1/connections/${gone}/logout`)
      .set(auth(key))
      .expect((r) => {
        if (r.status >= 300) throw new Error(`logout: ${r.status} ${JSON.stringify(r.body)}`);
      });
    await s.stack.waitForStatus(key, gone, 'logged_out');
    const failed = await s.waitForMessage(key, gone, res.body.id as string, (m) => m.status === 'failed');
    expect(failed.error).toMatchObject({ code: 'connection_stopped' });
    const listed = await s.http.get(`/v1/connections/${gone}/scheduled-messages`).set(auth(key)).expect(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: res.body.id,
        status: 'failed',
        error: expect.objectContaining({ code: 'connection_stopped' }),
      }),
    ]);
  });

  it('survives the worker being down at its time, and two workers send it once', async () => {
    await s.worker!.close();
    s.worker = undefined;
    const text = `after restart ${Date.now()}`;
    const res = await schedule({ to: '+15557650031', type: 'text', text, sendAt: inMs(1_000) }).expect(202);
    await sleep(3_000);
    expect(await copies(text)).toBe(0);
    const waiting = await s.http
      .get(`/v1/connections/${con}/messages/${res.body.id}`)
      .set(auth(key))
      .expect(200);
    expect(waiting.body.status).toBe('scheduled');

    const workers: NestExpressApplication[] = [];
    try {
      workers.push(
        ...(await Promise.all(
          [0, 1].map(() => startHttpRole('worker', (c) => WorkerModule.forRoot(c), s.stack.config)),
        )),
      );
      await s.waitForMessage(
        key,
        con,
        res.body.id as string,
        (m) => m.status === 'sent' || m.status === 'delivered',
      );
      await sleep(3_000);
      expect(await copies(text)).toBe(1);
      expect(await s.stack.db.collection('messages').countDocuments({ _id: res.body.id })).toBe(1);
    } finally {
      for (const w of workers) await w.close();
    }
  });
});
