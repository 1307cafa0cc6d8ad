import { accountWithKey, bearer, E2eApp, startApi } from '../support/e2e-app';

jest.setTimeout(60_000);

/** The API alone, with the production SSRF policy (no network allow-listed). */
let api: E2eApp;
let auth: Record<string, string>;

beforeAll(async () => {
  api = await startApi({ WEBHOOK_ALLOWED_NETWORKS: '' });
  auth = bearer((await accountWithKey(api.http, 'enterprise')).key);
});

afterAll(async () => {
  await api?.close();
});

const create = (body: Record<string, unknown>, headers = auth) =>
  api.http.post('/v1/webhooks').set(headers).send(body);

describe('webhook endpoints (e2e)', () => {
  it('create, list, get, patch, rotate, delete', async () => {
    const created = await create({
      url: 'https://93.184.216.34/hooks',
      events: ['message.*', 'connection.status', 'message.*'],
      description: 'crm',
      headers: { Authorization: 'Bearer abcdefghijkl', 'X-Tenant.Id': '7' },
      ordering: 'chat',
    }).expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      url: 'https://93.184.216.34/hooks',
      events: ['message.*', 'connection.status'],
      connectionIds: [],
      description: 'crm',
      // Header values are write-only: masked in every answer.
      headers: { Authorization: '****ijkl', 'X-Tenant.Id': '****' },
      ordering: 'chat',
      status: 'enabled',
      secret: expect.stringMatching(/^whsec_/),
    });
    const id = created.body.id as string;

    const got = await api.http.get(`/v1/webhooks/${id}`).set(auth).expect(200);
    expect(got.body.secret).toBeUndefined();
    expect(got.body.headers).toEqual({ Authorization: '****ijkl', 'X-Tenant.Id': '****' });
    const list = await api.http.get('/v1/webhooks').set(auth).expect(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain('abcdefghijkl');

    // Sending the masked values back keeps the stored ones (a stored mask would show as ****).
    const roundTrip = await api.http
      .patch(`/v1/webhooks/${id}`)
      .set(auth)
      .send({ headers: { ...got.body.headers, 'X-Extra': 'value-1234567' } })
      .expect(200);
    expect(roundTrip.body.headers).toEqual({
      Authorization: '****ijkl',
      'X-Tenant.Id': '****',
      'X-Extra': '****4567',
    });

    const patched = await api.http
      .patch(`/v1/webhooks/${id}`)
      .set(auth)
      .send({ events: ['*'], description: '', headers: {}, ordering: 'none' })
      .expect(200);
    expect(patched.body).toMatchObject({ events: ['*'], headers: {}, ordering: 'none' });
    expect(patched.body.description).toBeUndefined();

    const disabled = await api.http
      .patch(`/v1/webhooks/${id}`)
      .set(auth)
      .send({ enabled: false })
      .expect(200);
    expect(disabled.body).toMatchObject({ status: 'disabled', disabled: { reason: 'manual' } });
    const enabled = await api.http.patch(`/v1/webhooks/${id}`).set(auth).send({ enabled: true }).expect(200);
    expect(enabled.body.status).toBe('enabled');

    const rotated = await api.http.post(`/v1/webhooks/${id}/rotate-secret`).set(auth).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);

    await api.http.delete(`/v1/webhooks/${id}`).set(auth).expect(204);
    await api.http.get(`/v1/webhooks/${id}`).set(auth).expect(404);
    await api.http.delete(`/v1/webhooks/${id}`).set(auth).expect(404);
  });

  it('refuses non-http(s) schemes and credentials in the URL with a clear 400', async () => {
    for (const url of [
      'ftp://example.com/x',
      'file:///etc/passwd',
      'gopher://example.com',
      'javascript:alert(1)',
    ]) {
      const res = await create({ url, events: ['*'] }).expect(400);
      expect(res.body.code).toBe('invalid_webhook_url');
      expect(res.body.message).toMatch(/must use http or https/);
    }
    const creds = await create({ url: 'https://user:pw@example.com/x', events: ['*'] }).expect(400);
    expect(creds.body.code).toBe('invalid_webhook_url');
    expect((await create({ url: 'not a url', events: ['*'] }).expect(400)).body.code).toBe(
      'invalid_webhook_url',
    );
  });

  it.each([
    'http://127.0.0.1/x',
    'http://localhost:8080/x',
    'http://10.0.0.1/x',
    'http://192.168.1.10/x',
    'http://172.16.5.4/x',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.1.1/x',
    'http://[::1]/x',
    'http://[fd00:ec2::254]/x',
    'http://[fe80::1]/x',
    'http://[64:ff9b::a9fe:a9fe]/x',
    'http://[2002:a9fe:a9fe::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://0.0.0.0/x',
  ])('refuses %s (SSRF) with 400 webhook_url_forbidden', async (url) => {
    const res = await create({ url, events: ['*'] }).expect(400);
    expect(res.body.code).toBe('webhook_url_forbidden');
  });

  it('refuses unknown event types, bad headers and unknown connections', async () => {
    const types = await create({
      url: 'https://93.184.216.34/x',
      events: ['mesage.*', 'message.received'],
    }).expect(400);
    expect(types.body).toMatchObject({ code: 'unknown_event_type', details: { unknown: ['mesage.*'] } });
    for (const name of ['Connection', 'Transfer-Encoding', 'Host', 'webhook-signature', 'Content-Type']) {
      const res = await create({
        url: 'https://93.184.216.34/x',
        events: ['*'],
        headers: { [name]: 'x' },
      }).expect(400);
      expect(res.body.code).toBe('invalid_webhook_header');
    }
    const conn = await create({
      url: 'https://93.184.216.34/x',
      events: ['*'],
      connectionIds: ['con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'],
    }).expect(400);
    expect(conn.body).toMatchObject({ code: 'unknown_connection' });
    const empty = await create({ url: 'https://93.184.216.34/x', events: [] }).expect(400);
    expect(empty.body.code).toBe('validation_failed');
    const unknownField = await create({ url: 'https://93.184.216.34/x', events: ['*'], secret: 'x' }).expect(
      400,
    );
    expect(unknownField.body.code).toBe('validation_failed');
  });

  it('refuses header values node:http cannot send, on create and on update (400)', async () => {
    for (const value of ['Bearer \u20ac', 'a\u0001b', 'a\u007fb']) {
      const res = await create({
        url: 'https://93.184.216.34/x',
        events: ['*'],
        headers: { 'X-Token': value },
      }).expect(400);
      expect(res.body).toMatchObject({
        code: 'invalid_webhook_header',
        details: [expect.stringMatching(/X-Token/)],
      });
    }
    const ok = await create({ url: 'https://93.184.216.34/x', events: ['*'] }).expect(201);
    const patched = await api.http
      .patch(`/v1/webhooks/${ok.body.id}`)
      .set(auth)
      .send({ headers: { 'X-Token': 'caf\u00e9 \u2603' } })
      .expect(400);
    expect(patched.body.code).toBe('invalid_webhook_header');
    await api.http.delete(`/v1/webhooks/${ok.body.id}`).set(auth).expect(204);
  });

  it('enforces the plan limit (starter: 2 endpoints) and frees a slot on delete', async () => {
    const starter = bearer((await accountWithKey(api.http, 'starter')).key);
    const a = await create({ url: 'https://93.184.216.34/a', events: ['*'] }, starter).expect(201);
    await create({ url: 'https://93.184.216.34/b', events: ['*'] }, starter).expect(201);
    const third = await create({ url: 'https://93.184.216.34/c', events: ['*'] }, starter).expect(403);
    expect(third.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'webhooks', limit: 2 },
    });
    const me = await api.http.get('/v1/account').set(starter).expect(200);
    expect(me.body.usage.webhooks).toBe(2);
    await api.http.delete(`/v1/webhooks/${a.body.id}`).set(starter).expect(204);
    await create({ url: 'https://93.184.216.34/c', events: ['*'] }, starter).expect(201);
  });

  it("hides other accounts' endpoints (404) and needs a key (401)", async () => {
    const mine = await create({ url: 'https://93.184.216.34/x', events: ['*'] }).expect(201);
    const other = bearer((await accountWithKey(api.http, 'professional')).key);
    await api.http.get(`/v1/webhooks/${mine.body.id}`).set(other).expect(404);
    await api.http.get(`/v1/webhooks/${mine.body.id}/deliveries`).set(other).expect(404);
    await api.http.post(`/v1/webhooks/${mine.body.id}/test`).set(other).expect(404);
    await api.http.get('/v1/webhooks').expect(401);
    await api.http.get('/v1/events').expect(401);
  });
});
