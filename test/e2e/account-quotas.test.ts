/**
 * Per-account limits of things held for a while and of stored bytes (issue 9 §1), against the
 * real API, gateway, worker, Kafka and FerretDB, with the starter plan's limits lowered through
 * PLAN_LIMITS: an account at its pending-messages limit gets 429 while another account's sends
 * go on; stored media bytes are a 403 quota; live streams are limited per account over two API
 * processes; webhook jobs not done yet are limited and freed once done; GET /v1/account shows
 * each limit and its usage moving.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type TestAgent from 'supertest/lib/agent';
import { waitFor } from '@wwb/testing';
import { auth, SseClient } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(240_000);

const STARTER = {
  pendingMessages: 3,
  mediaBytes: 1_000,
  sseStreams: 2,
  webhookJobs: 1,
  mediaFetches: 1,
};

let s: MessagingStack;

beforeAll(async () => {
  s = await MessagingStack.start({
    PLAN_LIMITS: JSON.stringify({ starter: { ...STARTER, connections: 2 } }),
    // The account view is read fresh at every request, so that usage is seen as it moves.
    API_KEY_CACHE_TTL_MS: '0',
    MESSAGE_READY_TIMEOUT_MS: '120000',
  });
  await s.stack.startGateway();
});

afterAll(() => s?.close());

const me = async (key: string, http: TestAgent = s.http) =>
  (await http.get('/v1/account').set(auth(key)).expect(200)).body as {
    plan: string;
    limits: Record<string, number | null>;
    usage: Record<string, number>;
  };

const text = (to: string, n: number) => ({ to, type: 'text', text: `message ${n}` });

describe('pending messages', () => {
  it("an account at its limit gets 429 too_many_pending_messages while another account's sends go on", async () => {
    const flooder = await s.stack.account('starter');
    const other = await s.stack.account('starter');
    // The flooder's connection is never linked: its messages stay pending (accepted, not sent).
    const unlinked = (
      await s.http
        .post('/v1/connections')
        .set(auth(flooder.key))
        .send({ name: 'unlinked', driver: 'simulator' })
        .expect(201)
    ).body.id as string;
    const ready = await s.readyConnection(other.key);

    expect((await me(flooder.key)).limits).toMatchObject(STARTER);
    for (let i = 0; i < 3; i++) {
      await s.http
        .post(`/v1/connections/${unlinked}/messages`)
        .set(auth(flooder.key))
        .send(text('+15550000001', i))
        .expect(202);
    }
    const refused = await s.http
      .post(`/v1/connections/${unlinked}/messages`)
      .set(auth(flooder.key))
      .send(text('+15550000001', 4))
      .expect(429);
    expect(refused.body).toMatchObject({
      code: 'too_many_pending_messages',
      details: { resource: 'pendingMessages', plan: 'starter', limit: 3 },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await me(flooder.key)).usage.pendingMessages).toBe(3);

    // Another account is not held back: accepted and sent.
    const accepted = await s.http
      .post(`/v1/connections/${ready}/messages`)
      .set(auth(other.key))
      .send(text('+15550000002', 1))
      .expect(202);
    await s.waitForMessage(other.key, ready, accepted.body.id as string, (m) => m.status !== 'queued');
    expect(
      (await s.http.get(`/v1/connections/${ready}/messages/${accepted.body.id}`).set(auth(other.key))).body,
    ).toMatchObject({ status: expect.stringMatching(/^(sent|delivered|read)$/) });
    await waitFor(async () => ((await me(other.key)).usage.pendingMessages === 0 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: "the other account's pending count back to 0",
    });

    // Linking the flooder's connection sends its messages: the slots are given back, sends are accepted again.
    await s.stack.waitForStatus(flooder.key, unlinked, 'qr');
    await s.http
      .post(`/v1/connections/${unlinked}/simulator/scan`)
      .set(auth(flooder.key))
      .send({})
      .expect(200);
    await waitFor(async () => ((await me(flooder.key)).usage.pendingMessages === 0 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: "the flooder's pending messages sent",
    });
    // The API process that refused remembers the account full for a second (see Retry-After).
    await waitFor(
      async () => {
        const res = await s.http
          .post(`/v1/connections/${unlinked}/messages`)
          .set(auth(flooder.key))
          .send(text('+15550000001', 5));
        return res.status === 202 ? true : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 300, what: 'a send accepted again' },
    );
  });
});

describe('stored media bytes', () => {
  const upload = (key: string, size: number) =>
    s.http
      .post('/v1/media')
      .set(auth(key))
      .attach('file', Buffer.alloc(size, 65), { filename: 'a.txt', contentType: 'text/plain' });

  it('403 plan_limit_exceeded once uploads and sent media would pass mediaBytes; usage shows the bytes', async () => {
    const acc = await s.stack.account('starter');
    const other = await s.stack.account('starter');
    await upload(acc.key, 600).expect(201);
    expect((await me(acc.key)).usage.mediaBytes).toBe(600);

    const over = await upload(acc.key, 401).expect(403);
    expect(over.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'mediaBytes', plan: 'starter', limit: 1000, used: 600, size: 401 },
    });
    await upload(acc.key, 400).expect(201);
    expect((await me(acc.key)).usage.mediaBytes).toBe(1000);

    // Base64 media of a send is stored too: refused before anything is stored or queued.
    const con = (
      await s.http
        .post('/v1/connections')
        .set(auth(acc.key))
        .send({ name: 'media', driver: 'simulator' })
        .expect(201)
    ).body.id as string;
    const send = await s.http
      .post(`/v1/connections/${con}/messages`)
      .set(auth(acc.key))
      .send({
        to: '+15550000003',
        type: 'document',
        media: { base64: Buffer.from('more bytes').toString('base64'), mimetype: 'text/plain' },
      })
      .expect(403);
    expect(send.body).toMatchObject({ code: 'plan_limit_exceeded', details: { resource: 'mediaBytes' } });
    expect((await me(acc.key)).usage).toMatchObject({ mediaBytes: 1000, pendingMessages: 0 });

    // Another account's quota is its own.
    await upload(other.key, 1000).expect(201);
  });
});

describe('media URL fetches', () => {
  it('an account has at most mediaFetches in flight: one more is 429 too_many_media_fetches; another account still fetches', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      const answer = () => res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
      if (req.url === '/slow.png') void gate.then(answer);
      else answer();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const acc = await s.stack.account('starter');
      const other = await s.stack.account('starter');
      const connection = async (key: string) =>
        (
          await s.http
            .post('/v1/connections')
            .set(auth(key))
            .send({ name: 'f', driver: 'simulator' })
            .expect(201)
        ).body.id as string;
      const [mine, theirs] = [await connection(acc.key), await connection(other.key)];
      const send = (key: string, con: string, url: string) =>
        s.http
          .post(`/v1/connections/${con}/messages`)
          .set(auth(key))
          .send({ to: '+15550000004', type: 'image', media: { url } });

      const slow = send(acc.key, mine, `${base}/slow.png`).then((r) => r);
      await waitFor(
        async () => (requests > 0 && (await me(acc.key)).usage.mediaFetches === 1 ? true : undefined),
        {
          timeoutMs: 10_000,
          intervalMs: 50,
          what: 'the first fetch in flight',
        },
      );
      const refused = await send(acc.key, mine, `${base}/fast.png`).expect(429);
      expect(refused.body).toMatchObject({
        code: 'too_many_media_fetches',
        details: { resource: 'mediaFetches', plan: 'starter', limit: 1 },
      });
      await send(other.key, theirs, `${base}/fast.png`).expect(202);

      release();
      expect((await slow).status).toBe(202);
      expect((await me(acc.key)).usage.mediaFetches).toBe(0);
      await send(acc.key, mine, `${base}/fast.png`).expect(202);
    } finally {
      release();
      server.close();
    }
  });
});

describe('live event streams', () => {
  it('an account holds at most sseStreams over two API processes; closing one frees its place', async () => {
    const acc = await s.stack.account('starter');
    const con = (
      await s.http
        .post('/v1/connections')
        .set(auth(acc.key))
        .send({ name: 'streams', driver: 'simulator' })
        .expect(201)
    ).body.id as string;
    const second = await s.stack.startExtraApi({});
    const streams: SseClient[] = [];
    try {
      const open = async (baseUrl: string) => {
        const sse = new SseClient(`${baseUrl}/v1/connections/${con}/events`, auth(acc.key));
        streams.push(sse);
        await sse.next((m) => m.event === 'connection', 30_000, 'SSE snapshot');
        return sse;
      };
      const first = await open(s.stack.baseUrl);
      await open(second.baseUrl);
      expect((await me(acc.key)).usage.sseStreams).toBe(2);

      // One per API process only, under SSE_MAX_STREAMS_PER_KEY (5): the account's limit (2) refuses.
      for (const http of [s.http, second.http]) {
        const refused = await http.get(`/v1/connections/${con}/events`).set(auth(acc.key)).expect(429);
        expect(refused.body).toMatchObject({
          code: 'too_many_streams',
          details: { resource: 'sseStreams', limit: 2 },
        });
      }

      first.close();
      await waitFor(async () => ((await me(acc.key)).usage.sseStreams === 1 ? true : undefined), {
        timeoutMs: 15_000,
        intervalMs: 100,
        what: 'the closed stream given back',
      });
      // A process that just refused remembers the account full for a second (Retry-After): retry as a client would.
      const again = await waitFor(
        async () => {
          const sse = new SseClient(`${second.baseUrl}/v1/connections/${con}/events`, auth(acc.key));
          streams.push(sse);
          const ok = await sse
            .next((m) => m.event === 'connection', 3_000, 'SSE snapshot')
            .then(() => true)
            .catch(() => false);
          if (!ok) sse.close();
          return ok ? sse : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 500, what: 'a stream in the freed place' },
      );
      expect(again!.status).toBe(200);
      expect((await me(acc.key, second.http)).usage.sseStreams).toBe(2);
    } finally {
      streams.forEach((x) => x.close());
      await second.close();
    }
  });
});

describe('webhook jobs', () => {
  it('replays not done yet are limited (429 too_many_webhook_jobs); once a worker did one, there is room again', async () => {
    const acc = await s.stack.account('starter');
    const endpoint = (
      await s.http
        .post('/v1/webhooks')
        .set(auth(acc.key))
        .send({ url: 'https://93.184.216.34/hooks', events: ['message.*'] })
        .expect(201)
    ).body as { id: string };
    const replay = () =>
      s.http
        .post(`/v1/webhooks/${endpoint.id}/replay`)
        .set(auth(acc.key))
        .send({ since: new Date(Date.now() - 3_600_000).toISOString() });

    // No worker runs yet: the first replay waits, the second is refused.
    await replay().expect(202);
    const refused = await replay().expect(429);
    expect(refused.body).toMatchObject({
      code: 'too_many_webhook_jobs',
      details: { resource: 'webhookJobs', plan: 'starter', limit: 1 },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await me(acc.key)).usage.webhookJobs).toBe(1);

    await s.startWorker();
    await waitFor(async () => ((await me(acc.key)).usage.webhookJobs === 0 ? true : undefined), {
      timeoutMs: 90_000,
      intervalMs: 500,
      what: 'the replay done and its slot freed',
    });
    await replay().expect(202);
  });
});

describe('OpenAPI', () => {
  it('documents every limit and its usage on the account views', async () => {
    const doc = (await s.http.get('/docs/openapi.json').expect(200)).body as {
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    };
    const resources = [
      'pendingMessages',
      'mediaBytes',
      'sseStreams',
      'webhookJobs',
      'mediaFetches',
      'scheduledMessages',
      'bulkJobs',
    ];
    for (const schema of ['PlanLimitsDto', 'UsageDto']) {
      const { properties, required } = doc.components.schemas[schema]!;
      for (const r of resources) {
        expect(properties).toHaveProperty(r);
        expect(required).toContain(r);
      }
    }
    expect(doc.components.schemas.PlanLimitsDto!.properties.pendingMessages).toMatchObject({
      type: 'number',
      nullable: true,
    });
  });
});
