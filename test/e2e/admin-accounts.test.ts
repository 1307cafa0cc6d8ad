import { TEST_ADMIN_KEY } from '@wwb/testing';
import { admin, bearer, E2eApp, startApi } from './support/e2e-app';

describe('operator account management (e2e)', () => {
  let api: E2eApp;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('creates an account: 201 with id, plan, limits, disabled, createdAt', async () => {
    const res = await api.http
      .post('/v1/admin/accounts')
      .set(admin)
      .send({ name: 'Acme Support', plan: 'professional' })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'Acme Support',
      plan: 'professional',
      limits: {
        apiKeys: 5,
        connections: 10,
        webhooks: 10,
        templates: 500,
        autoReplies: 500,
        faqBots: 10,
        contacts: 100000,
      },
      disabled: false,
      usage: { apiKeys: 0, connections: 0, webhooks: 0, templates: 0, autoReplies: 0, faqBots: 0 },
    });
    expect(res.body.id).toMatch(/^acc_[0-9A-Z]{26}$/);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    const got = await api.http.get(`/v1/admin/accounts/${res.body.id}`).set(admin).expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('accepts the operator key as Bearer or X-API-Key; anything else is 401 invalid_admin_key', async () => {
    await api.http.get('/v1/admin/accounts').set('X-API-Key', TEST_ADMIN_KEY).expect(200);
    for (const headers of [{}, { Authorization: 'Bearer nope' }, { 'X-API-Key': `${TEST_ADMIN_KEY}x` }]) {
      const res = await api.http.get('/v1/admin/accounts').set(headers).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'invalid_admin_key' });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('an account key is not an operator key', async () => {
    const acc = await api.http
      .post('/v1/admin/accounts')
      .set(admin)
      .send({ name: 'a', plan: 'starter' })
      .expect(201);
    const key = await api.http
      .post(`/v1/admin/accounts/${acc.body.id}/api-keys`)
      .set(admin)
      .send({ name: 'k' });
    const res = await api.http.get('/v1/admin/accounts').set(bearer(key.body.key)).expect(401);
    expect(res.body.code).toBe('invalid_admin_key');
  });

  it('lists accounts with cursor pagination', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.http
        .post('/v1/admin/accounts')
        .set(admin)
        .send({ name: `page-${i}`, plan: 'starter' });
      ids.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await api.http
        .get('/v1/admin/accounts')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(admin)
        .expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((a) => a.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);

    const bad = await api.http
      .get('/v1/admin/accounts')
      .query({ cursor: 'bm90LWFuLWlk' })
      .set(admin)
      .expect(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(
      (await api.http.get('/v1/admin/accounts').query({ limit: 0 }).set(admin).expect(400)).body.code,
    ).toBe('validation_failed');
    expect(
      (await api.http.get('/v1/admin/accounts').query({ limit: 'x' }).set(admin).expect(400)).body.code,
    ).toBe('validation_failed');
  });

  it('an unknown account is 404 not_found', async () => {
    for (const id of ['acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', 'nope']) {
      const res = await api.http.get(`/v1/admin/accounts/${id}`).set(admin).expect(404);
      expect(res.body.code).toBe('not_found');
      await api.http.patch(`/v1/admin/accounts/${id}`).set(admin).send({ name: 'x' }).expect(404);
      await api.http.post(`/v1/admin/accounts/${id}/api-keys`).set(admin).send({ name: 'x' }).expect(404);
    }
  });

  it('PATCH changes name and plan; disabling gives 403 account_disabled at once, re-enabling restores', async () => {
    const acc = await api.http
      .post('/v1/admin/accounts')
      .set(admin)
      .send({ name: 'p', plan: 'starter' })
      .expect(201);
    const key = await api.http
      .post(`/v1/admin/accounts/${acc.body.id}/api-keys`)
      .set(admin)
      .send({ name: 'k' });
    await api.http.get('/v1/account').set(bearer(key.body.key)).expect(200); // now cached

    const renamed = await api.http
      .patch(`/v1/admin/accounts/${acc.body.id}`)
      .set(admin)
      .send({ name: 'renamed', plan: 'enterprise' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'renamed', plan: 'enterprise', limits: { apiKeys: null } });

    await api.http.patch(`/v1/admin/accounts/${acc.body.id}`).set(admin).send({ disabled: true }).expect(200);
    const denied = await api.http.get('/v1/account').set(bearer(key.body.key)).expect(403);
    expect(denied.body).toMatchObject({ statusCode: 403, code: 'account_disabled' });

    await api.http
      .patch(`/v1/admin/accounts/${acc.body.id}`)
      .set(admin)
      .send({ disabled: false })
      .expect(200);
    const me = await api.http.get('/v1/account').set(bearer(key.body.key)).expect(200);
    expect(me.body).toMatchObject({
      name: 'renamed',
      plan: 'enterprise',
      limits: { apiKeys: null, connections: null, webhooks: null },
    });
  });

  it('PATCH validates: unknown plan, null, wrong types and unknown fields are 400 validation_failed', async () => {
    const acc = await api.http
      .post('/v1/admin/accounts')
      .set(admin)
      .send({ name: 'v', plan: 'starter' })
      .expect(201);
    for (const body of [
      { plan: 'gold' },
      { name: null },
      { disabled: 'yes' },
      { name: '' },
      { owner: 'x' },
    ]) {
      const res = await api.http.patch(`/v1/admin/accounts/${acc.body.id}`).set(admin).send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.length).toBeGreaterThan(0);
    }
  });
});
