/**
 * Connections over HTTP with the simulator driver: an API and a gateway (each its own Nest app)
 * on the real Kafka and FerretDB.
 */
import request from 'supertest';
import { ConnectionSupervisor } from '@wwb/gateway';
import { TEST_METRICS_TOKEN, waitFor } from '@wwb/testing';
import { auth, ConnectionsStack, SseClient } from './support/connections-stack';

jest.setTimeout(120_000);

let stack: ConnectionsStack;
let key: string;
let accountId: string;

beforeAll(async () => {
  stack = await ConnectionsStack.start();
  await stack.startGateway();
  ({ id: accountId, key } = await stack.account('enterprise'));
});

afterAll(() => stack?.close());

const create = async (name: string, k = key) => {
  const res = await stack.http.post('/v1/connections').set(auth(k)).send({ name }).expect(201);
  return res.body as { id: string; name: string; status: string; createdAt: string };
};

const scan = (id: string, body: object = {}, k = key) =>
  stack.http.post(`/v1/connections/${id}/simulator/scan`).set(auth(k)).send(body);

describe('lifecycle', () => {
  let id: string;
  let sse: SseClient;

  afterAll(() => sse?.close());

  it('create -> qr (JSON and PNG) -> scan -> ready, visible in GET and as Server-Sent Events', async () => {
    const created = await create('Support line');
    id = created.id;
    expect(created).toMatchObject({ name: 'Support line', status: 'starting', driver: 'simulator' });
    expect(created.id).toMatch(/^con_[0-9A-Z]{26}$/);
    expect(Date.parse(created.createdAt)).not.toBeNaN();

    sse = new SseClient(`${stack.baseUrl}/v1/connections/${id}/events`, auth(key));
    const first = await sse.next((m) => m.event === 'connection', 30_000, 'SSE snapshot');
    expect(sse.status).toBe(200);
    expect(sse.headers?.['content-type']).toMatch(/^text\/event-stream/);
    expect(first.data).toMatchObject({ id, name: 'Support line' });
    // The snapshot is the state when the stream went live; every change after it is streamed.
    if ((first.data as { status: string }).status !== 'qr') {
      await sse.next((m) => m.event === 'connection.qr', 30_000, 'SSE connection.qr');
    }

    await stack.waitForStatus(key, id, 'qr');
    const qr = await stack.http.get(`/v1/connections/${id}/qr`).set(auth(key)).expect(200);
    expect(qr.headers['cache-control']).toBe('no-store');
    expect(qr.body.qr).toMatch(/^2@/);
    expect(qr.body.image).toMatch(/^data:image\/png;base64,/);
    expect(Buffer.from(qr.body.image.split(',')[1], 'base64').subarray(1, 4).toString()).toBe('PNG');
    const png = await stack.http
      .get(`/v1/connections/${id}/qr?format=png`)
      .set(auth(key))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');

    const scanned = await scan(id, { phoneNumber: '+15550001111', pushName: 'Acme Support' }).expect(200);
    expect(scanned.body).toEqual({
      phoneNumber: '15550001111',
      pushName: 'Acme Support',
      chatId: '15550001111@c.us',
    });

    const ready = await stack.waitForStatus(key, id, 'ready');
    expect(ready).toMatchObject({
      id,
      status: 'ready',
      phoneNumber: '15550001111',
      pushName: 'Acme Support',
      desiredState: 'running',
      lastError: null,
    });
    expect(Date.parse(ready.readyAt as string)).not.toBeNaN();

    const readyEvent = await sse.next(
      (m) =>
        m.event === 'connection.status' && (m.data as { data: { status: string } }).data.status === 'ready',
      30_000,
      'SSE ready',
    );
    expect(readyEvent.data).toMatchObject({
      type: 'connection.status',
      accountId,
      connectionId: id,
      data: { status: 'ready', previousStatus: 'authenticated', phoneNumber: '15550001111' },
    });
    expect(readyEvent.id).toBe((readyEvent.data as { id: string }).id);
    const seen = sse.messages.map((m) => m.event);
    expect(seen).toEqual(expect.arrayContaining(['connection.authenticated', 'connection.ready']));
    const statuses = sse.messages
      .filter((m) => m.event === 'connection.status')
      .map((m) => (m.data as { data: { status: string; previousStatus: string } }).data);
    expect(statuses.slice(-2)).toMatchObject([
      { status: 'authenticated', previousStatus: 'qr' },
      { status: 'ready', previousStatus: 'authenticated' },
    ]);
  });

  it('streams message events of the connection (simulator inbound and ack)', async () => {
    const inbound = await stack.http
      .post(`/v1/connections/${id}/simulator/inbound`)
      .set(auth(key))
      .send({ from: '+15557654321', text: 'Hello there' })
      .expect(200);
    expect(inbound.body).toEqual({
      waMessageId: expect.stringMatching(/^false_15557654321@c\.us_/),
      chatId: '15557654321@c.us',
    });
    const received = await sse.next((m) => m.event === 'message.received', 30_000, 'message.received');
    expect(received.data).toMatchObject({
      chatId: '15557654321@c.us',
      data: { waMessageId: inbound.body.waMessageId, body: 'Hello there', fromMe: false, type: 'text' },
    });
    // An ack needs one of our own messages: the simulator refuses others with 404 message_not_found.
    const ack = await stack.http
      .post(`/v1/connections/${id}/simulator/ack`)
      .set(auth(key))
      .send({ messageId: inbound.body.waMessageId, status: 'read' })
      .expect(404);
    expect(ack.body.code).toBe('message_not_found');
  });

  it('pairing code: 409 unless waiting for a QR scan', async () => {
    const res = await stack.http
      .post(`/v1/connections/${id}/pairing-code`)
      .set(auth(key))
      .send({ phoneNumber: '+15550001111' })
      .expect(409);
    expect(res.body.code).toBe('connection_not_waiting_for_qr');
    const qr = await stack.http.get(`/v1/connections/${id}/qr`).set(auth(key)).expect(409);
    expect(qr.body).toMatchObject({ code: 'connection_not_waiting_for_qr', details: { status: 'ready' } });
  });

  it('restart: back to ready without a new scan (session restored from Mongo)', async () => {
    const res = await stack.http.post(`/v1/connections/${id}/restart`).set(auth(key)).expect(202);
    expect(res.body).toMatchObject({ id, desiredState: 'running' });
    await sse.next(
      (m) =>
        m.event === 'connection.status' &&
        (m.data as { data: { reason?: string } }).data.reason === 'restarting',
      30_000,
      'restarting',
    );
    const ready = await stack.waitForStatus(key, id, 'ready');
    expect(ready.phoneNumber).toBe('15550001111');
    const after = sse.messages.slice(
      sse.messages.findIndex(
        (m) =>
          m.event === 'connection.status' &&
          (m.data as { data: { reason?: string } }).data.reason === 'restarting',
      ),
    );
    expect(after.some((m) => m.event === 'connection.qr')).toBe(false);
  });

  it('simulator disconnect (CONFLICT): disconnected, then ready again by itself', async () => {
    await stack.http
      .post(`/v1/connections/${id}/simulator/disconnect`)
      .set(auth(key))
      .send({ reason: 'CONFLICT' })
      .expect(204);
    await sse.next(
      (m) =>
        m.event === 'connection.status' &&
        (m.data as { data: { status: string; reason?: string } }).data.status === 'disconnected',
      30_000,
      'disconnected',
    );
    const back = await stack.waitForStatus(key, id, 'ready');
    expect(back).toMatchObject({ lastError: 'CONFLICT', failures: 0 });
  });

  it('logout -> logged_out (session deleted); restart shows a new QR code; LOGOUT from the phone is terminal', async () => {
    await stack.http.post(`/v1/connections/${id}/logout`).set(auth(key)).expect(202);
    const out = await stack.waitForStatus(key, id, 'logged_out');
    expect(out).toMatchObject({ desiredState: 'stopped', phoneNumber: null });
    expect(
      await stack.db
        .collection('whatsapp_sessions.files')
        .countDocuments({ filename: `simulator-${id}.zip` }),
    ).toBe(0);

    const mark = sse.messages.length;
    await stack.http.post(`/v1/connections/${id}/restart`).set(auth(key)).expect(202);
    await stack.waitForStatus(key, id, 'qr');
    // The new QR code is streamed too.
    const qrEvent = await sse.next(
      (m) => sse.messages.indexOf(m) >= mark && m.event === 'connection.qr',
      30_000,
      'SSE connection.qr after the restart',
    );
    const current = await stack.http.get(`/v1/connections/${id}/qr`).set(auth(key)).expect(200);
    expect((qrEvent.data as { data: { qr: string } }).data.qr).toBe(current.body.qr);
    await scan(id, { phoneNumber: '+15550002222' }).expect(200);
    expect((await stack.waitForStatus(key, id, 'ready')).phoneNumber).toBe('15550002222');

    // Unlinked from the phone: terminal, no restart loop.
    await stack.http
      .post(`/v1/connections/${id}/simulator/disconnect`)
      .set(auth(key))
      .send({ reason: 'LOGOUT' })
      .expect(204);
    const unlinked = await stack.waitForStatus(key, id, 'logged_out');
    expect(unlinked.statusReason).toBe('logged out from the phone');
  });

  it('delete: 204, then 404; the session, states and plan slot are gone', async () => {
    const before = await stack.http.get('/v1/account').set(auth(key)).expect(200);
    await stack.http.delete(`/v1/connections/${id}`).set(auth(key)).expect(204);
    await stack.http.get(`/v1/connections/${id}`).set(auth(key)).expect(404);
    const after = await stack.http.get('/v1/account').set(auth(key)).expect(200);
    expect(after.body.usage.connections).toBe(before.body.usage.connections - 1);
    await waitFor(
      async () =>
        (await stack.db.collection('connections').countDocuments({ _id: id as never })) === 0 &&
        (await stack.db.collection('connection_states').countDocuments({ connectionId: id })) === 0 &&
        (await stack.db
          .collection('whatsapp_sessions.files')
          .countDocuments({ filename: `simulator-${id}.zip` })) === 0,
      { timeoutMs: 30_000, what: 'connection cleaned up by the gateway' },
    );
    await stack.http.post(`/v1/connections/${id}/restart`).set(auth(key)).expect(404);
    await sse.next((m) => m.event === 'connection.deleted', 30_000, 'connection.deleted');
  });
});

describe('plan limits and restricted keys', () => {
  it('starter allows one connection: the second is 403 plan_limit_exceeded; deleting frees the slot', async () => {
    const starter = await stack.account('starter');
    const first = await create('one', starter.key);
    const second = await stack.http
      .post('/v1/connections')
      .set(auth(starter.key))
      .send({ name: 'two' })
      .expect(403);
    expect(second.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'connections', limit: 1 },
    });
    await stack.http.delete(`/v1/connections/${first.id}`).set(auth(starter.key)).expect(204);
    await create('two', starter.key);
  });

  it('a key restricted to some connections sees and touches only those (others 404)', async () => {
    const a = await create('A');
    const b = await create('B');
    const restricted = await stack.http
      .post('/v1/api-keys')
      .set(auth(key))
      .send({ name: 'only-a', connectionIds: [a.id] })
      .expect(201);
    const rk = restricted.body.key as string;
    await stack.http.get(`/v1/connections/${a.id}`).set(auth(rk)).expect(200);
    const denied = await stack.http.get(`/v1/connections/${b.id}`).set(auth(rk)).expect(404);
    expect(denied.body.code).toBe('not_found');
    const list = await stack.http.get('/v1/connections').set(auth(rk)).expect(200);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([a.id]);
    for (const call of [
      stack.http.delete(`/v1/connections/${b.id}`),
      stack.http.post(`/v1/connections/${b.id}/restart`),
      stack.http.post(`/v1/connections/${b.id}/logout`),
      stack.http.get(`/v1/connections/${b.id}/qr`),
      stack.http.post(`/v1/connections/${b.id}/simulator/scan`).send({}),
      stack.http.post(`/v1/connections/${b.id}/pairing-code`).send({ phoneNumber: '+15551234567' }),
    ]) {
      expect((await call.set(auth(rk))).status).toBe(404);
    }
    const sse = new SseClient(`${stack.baseUrl}/v1/connections/${b.id}/events`, auth(rk));
    expect(JSON.parse(await sse.text())).toMatchObject({ statusCode: 404, code: 'not_found' });
    const creation = await stack.http.post('/v1/connections').set(auth(rk)).send({ name: 'C' }).expect(403);
    expect(creation.body.code).toBe('forbidden_scope');
    // Another account's connection is 404 too.
    const other = await stack.account();
    await stack.http.get(`/v1/connections/${a.id}`).set(auth(other.key)).expect(404);
  });

  it('lists with cursor pagination', async () => {
    const acc = await stack.account();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create(`p${i}`, acc.key)).id);
    const page1 = await stack.http.get('/v1/connections?limit=2').set(auth(acc.key)).expect(200);
    expect(page1.body.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await stack.http
      .get(`/v1/connections?limit=2&cursor=${page1.body.nextCursor}`)
      .set(auth(acc.key))
      .expect(200);
    expect(page2.body.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(2));
    expect(page2.body.nextCursor).toBeNull();
  });
});

describe('bad input', () => {
  let id: string;
  beforeAll(async () => {
    id = (await create('input checks')).id;
    await stack.waitForStatus(key, id, 'qr');
  });

  it.each([
    ['missing name', '/v1/connections', {}, 'validation_failed'],
    ['name too long', '/v1/connections', { name: 'x'.repeat(101) }, 'validation_failed'],
    ['unknown driver', '/v1/connections', { name: 'x', driver: 'baileys' }, 'validation_failed'],
    ['unknown field', '/v1/connections', { name: 'x', color: 'red' }, 'validation_failed'],
    ['driver not enabled', '/v1/connections', { name: 'x', driver: 'webjs' }, 'driver_not_enabled'],
  ])('POST: %s -> 400 %s', async (_what, path, body, code) => {
    const res = await stack.http.post(path).set(auth(key)).send(body).expect(400);
    expect(res.body.code).toBe(code);
  });

  it('rejects bad bodies and queries of the other endpoints with 4xx codes', async () => {
    const cases: [string, Promise<{ status: number; body: { code: string } }>, number, string][] = [
      [
        'pairing code: bad phone',
        stack.http.post(`/v1/connections/${id}/pairing-code`).set(auth(key)).send({ phoneNumber: '12' }),
        400,
        'validation_failed',
      ],
      [
        'qr: bad format',
        stack.http.get(`/v1/connections/${id}/qr?format=gif`).set(auth(key)),
        400,
        'validation_failed',
      ],
      [
        'list: bad cursor',
        stack.http.get('/v1/connections?cursor=nope').set(auth(key)),
        400,
        'validation_failed',
      ],
      ['list: limit 0', stack.http.get('/v1/connections?limit=0').set(auth(key)), 400, 'validation_failed'],
      [
        'ack: bad status',
        stack.http
          .post(`/v1/connections/${id}/simulator/ack`)
          .set(auth(key))
          .send({ messageId: 'x', status: 'seen' }),
        400,
        'validation_failed',
      ],
      [
        'inbound: bad sender',
        stack.http.post(`/v1/connections/${id}/simulator/inbound`).set(auth(key)).send({ from: 'bob' }),
        400,
        'validation_failed',
      ],
      [
        'inbound: not ready',
        stack.http
          .post(`/v1/connections/${id}/simulator/inbound`)
          .set(auth(key))
          .send({ from: '+15557654321', text: 'hi' }),
        409,
        'connection_not_ready',
      ],
      ['unknown id', stack.http.get('/v1/connections/con_nope').set(auth(key)), 404, 'not_found'],
      ['no key', stack.http.get('/v1/connections'), 401, 'missing_api_key'],
      [
        'not JSON',
        stack.http.post('/v1/connections').set(auth(key)).set('Content-Type', 'text/plain').send('name=x'),
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [what, call, status, code] of cases) {
      const res = await call;
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code });
    }
  });

  it('pairing code while waiting for the QR scan', async () => {
    const res = await stack.http
      .post(`/v1/connections/${id}/pairing-code`)
      .set(auth(key))
      .send({ phoneNumber: '+15551234567' })
      .expect(200);
    expect(res.body.code).toMatch(/^[A-Z0-9]{8}$/);
  });

  it('a webjs connection: 409 not_a_simulator_connection, and failed with a reason on a gateway without webjs', async () => {
    // A second API that allows webjs, beside this stack's gateway, which only runs the simulator.
    const wide = await stack.startExtraApi({ WHATSAPP_DRIVER: 'simulator,webjs' });
    try {
      const created = await wide.http
        .post('/v1/connections')
        .set(auth(key))
        .send({ name: 'real phone', driver: 'webjs' })
        .expect(201);
      expect(created.body.driver).toBe('webjs');
      const res = await wide.http
        .post(`/v1/connections/${created.body.id}/simulator/scan`)
        .set(auth(key))
        .send({})
        .expect(409);
      expect(res.body.code).toBe('not_a_simulator_connection');
      const failed = await stack.waitForStatus(key, created.body.id as string, 'failed');
      expect(failed.statusReason).toMatch(/cannot run on this gateway: driver "webjs" is not enabled/);
      expect(failed.lastError).toBe(failed.statusReason);
    } finally {
      await wide.close();
    }
  });
});

describe('gateway restarts', () => {
  it('a restarted gateway restores ready connections without a new scan', async () => {
    const { id } = await create('survivor');
    await stack.waitForStatus(key, id, 'qr');
    await scan(id, { phoneNumber: '+15550003333' }).expect(200);
    await stack.waitForStatus(key, id, 'ready');

    await stack.stopGateway(stack.gateways[0]!);
    const stopped = await stack.waitForStatus(key, id, 'stopped');
    expect(stopped.statusReason).toBe('gateway shutting down');

    const gw = await stack.startGateway();
    const ready = await stack.waitForStatus(key, id, 'ready', 60_000);
    expect(ready.phoneNumber).toBe('15550003333');
    expect(gw.get(ConnectionSupervisor).running).toContain(id);
    const address = gw.getHttpServer().address() as { port: number };
    const metrics = await request(`http://127.0.0.1:${address.port}`)
      .get('/metrics')
      .set('Authorization', `Bearer ${TEST_METRICS_TOKEN}`)
      .expect(200);
    expect(metrics.text).toMatch(/^wwb_gateway_connections\{status="ready"\} [1-9]/m);
    expect(metrics.text).toMatch(/^wwb_gateway_partitions 3$/m);
  });

  it('504 gateway_timeout when no gateway answers', async () => {
    const { id } = await create('lonely');
    await stack.waitForStatus(key, id, 'qr');
    for (const g of [...stack.gateways]) await stack.stopGateway(g);
    const res = await stack.http
      .post(`/v1/connections/${id}/simulator/scan`)
      .set(auth(key))
      .send({})
      .timeout(60_000);
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('gateway_timeout');
    expect(res.body.message).toMatch(/No gateway answered within \d+ ms/);
    await stack.startGateway();
  });
});

describe('live event stream limits', () => {
  const streams: SseClient[] = [];
  let con: string;

  afterAll(() => streams.forEach((s) => s.close()));

  const newKey = async (name: string) => {
    const res = await stack.http.post('/v1/api-keys').set(auth(key)).send({ name }).expect(201);
    return res.body as { id: string; key: string };
  };
  const openStream = async (k: string) => {
    const sse = new SseClient(`${stack.baseUrl}/v1/connections/${con}/events`, auth(k));
    streams.push(sse);
    await sse.next((m) => m.event === 'connection', 30_000, 'SSE snapshot');
    return sse;
  };

  beforeAll(async () => {
    con = (await create('streams')).id;
  });

  it('a key holds at most 5 streams: the 6th is 429 too_many_streams (JSON); another key still opens one', async () => {
    const busy = await newKey('busy');
    for (let i = 0; i < 5; i++) await openStream(busy.key);
    const sixth = await stack.http.get(`/v1/connections/${con}/events`).set(auth(busy.key)).expect(429);
    expect(sixth.headers['content-type']).toMatch(/^application\/json/);
    expect(sixth.body).toMatchObject({ code: 'too_many_streams' });
    expect(sixth.body.message).toMatch(/at most 5/);

    const other = await newKey('other');
    const sse = await openStream(other.key);
    expect(sse.status).toBe(200);

    // Closing one stream frees its slot.
    streams[0]!.close();
    await waitFor(
      async () => {
        const again = new SseClient(`${stack.baseUrl}/v1/connections/${con}/events`, auth(busy.key));
        streams.push(again);
        const ok = await again
          .next((m) => m.event === 'connection', 2_000, 'SSE snapshot')
          .then(() => true)
          .catch(() => false);
        if (!ok) again.close();
        return ok || undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'a freed stream slot' },
    );
  });

  it('revoking the key ends its open stream within a few seconds', async () => {
    const doomed = await newKey('doomed');
    const sse = await openStream(doomed.key);
    await stack.http.delete(`/v1/api-keys/${doomed.id}`).set(auth(key)).expect(204);
    const revokedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      sse.whenEnded(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('stream still open 10 s after the revocation')), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
    expect(sse.messages.at(-1)).toMatchObject({ event: 'closed', data: { code: 'invalid_api_key' } });
    await stack.http.get(`/v1/connections/${con}/events`).set(auth(doomed.key)).expect(401);
  });
});
