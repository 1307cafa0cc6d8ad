import { getConnectionToken } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { accountWithKey, admin, bearer, E2eApp, startApi } from './support/e2e-app';

describe('API keys (e2e)', () => {
  let api: E2eApp;
  let db: Connection;

  beforeAll(async () => {
    api = await startApi();
    db = api.app.get<Connection>(getConnectionToken());
  });
  afterAll(() => api.close());

  it('issues a key shown in full once; lists never show it again', async () => {
    const acc = await accountWithKey(api.http, 'professional');
    const created = await api.http
      .post('/v1/api-keys')
      .set(bearer(acc.key))
      .send({ name: 'crm', connectionIds: ['con_a', 'con_b'] })
      .expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({ name: 'crm', connectionIds: ['con_a', 'con_b'] });
    expect(created.body.key).toMatch(/^wwb_[0-9A-Za-z]{43}$/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 12));
    expect(created.body.id).toMatch(/^key_/);

    const list = await api.http.get('/v1/api-keys').set(bearer(acc.key)).expect(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.data.map((k: { id: string }) => k.id)).toEqual([acc.keyId, created.body.id]);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(created.body.key);
    expect(text).not.toContain(acc.key);
    for (const k of list.body.data) {
      expect(Object.keys(k).sort()).toEqual([
        'connectionIds',
        'createdAt',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
      ]);
    }
    const mine = list.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(mine).toMatchObject({ prefix: created.body.prefix, connectionIds: ['con_a', 'con_b'] });
  });

  it('stores only the sha256 hash of a key', async () => {
    const acc = await accountWithKey(api.http);
    const raw = await db.collection('api_keys').findOne({ _id: acc.keyId as never });
    expect(raw).not.toBeNull();
    expect(raw!.hash).toBe(createHash('sha256').update(acc.key).digest('hex'));
    expect(JSON.stringify(raw)).not.toContain(acc.key);
    expect(JSON.stringify(raw)).not.toContain(acc.key.slice(12));
    const everything = JSON.stringify(await db.collection('api_keys').find().toArray());
    expect(everything).not.toContain(acc.key);
  });

  it('accepts Bearer and X-API-Key; missing → 401 missing_api_key, unknown → 401 invalid_api_key', async () => {
    const acc = await accountWithKey(api.http);
    await api.http.get('/v1/account').set(bearer(acc.key)).expect(200);
    await api.http.get('/v1/account').set('X-API-Key', acc.key).expect(200);

    const missing = await api.http.get('/v1/account').expect(401);
    expect(missing.body).toMatchObject({ statusCode: 401, code: 'missing_api_key' });
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect((await api.http.get('/v1/account').set('Authorization', 'Basic abc').expect(401)).body.code).toBe(
      'missing_api_key',
    );

    const forged = `wwb_${'A'.repeat(43)}`;
    for (const headers of [bearer(forged), { 'X-API-Key': 'garbage' }, bearer(`${acc.key}x`)]) {
      const res = await api.http.get('/v1/account').set(headers).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'invalid_api_key' });
    }
  });

  it('revocation takes effect at once on this process (even for a cached key), the key in use included', async () => {
    const acc = await accountWithKey(api.http, 'professional');
    const other = await api.http
      .post('/v1/api-keys')
      .set(bearer(acc.key))
      .send({ name: 'other' })
      .expect(201);
    await api.http.get('/v1/account').set(bearer(other.body.key)).expect(200); // cached now

    await api.http.delete(`/v1/api-keys/${other.body.id}`).set(bearer(acc.key)).expect(204);
    const res = await api.http.get('/v1/account').set(bearer(other.body.key)).expect(401);
    expect(res.body.code).toBe('invalid_api_key');

    // Revoking the key in use.
    await api.http.delete(`/v1/api-keys/${acc.keyId}`).set(bearer(acc.key)).expect(204);
    expect((await api.http.get('/v1/account').set(bearer(acc.key)).expect(401)).body.code).toBe(
      'invalid_api_key',
    );

    const raw = await db.collection('api_keys').findOne({ _id: acc.keyId as never });
    expect(raw!.revokedAt).toBeInstanceOf(Date);
  });

  it("another account's key is 404 not_found, exactly like an unknown key", async () => {
    const a = await accountWithKey(api.http);
    const b = await accountWithKey(api.http);
    const foreign = await api.http.delete(`/v1/api-keys/${b.keyId}`).set(bearer(a.key)).expect(404);
    const unknown = await api.http
      .delete('/v1/api-keys/key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8')
      .set(bearer(a.key))
      .expect(404);
    expect(foreign.body.code).toBe('not_found');
    expect({ ...foreign.body, requestId: '' }).toEqual({ ...unknown.body, requestId: '' });
    // b's key still works, and a's list does not show it.
    await api.http.get('/v1/account').set(bearer(b.key)).expect(200);
    const list = await api.http.get('/v1/api-keys').set(bearer(a.key)).expect(200);
    expect(list.body.data.map((k: { id: string }) => k.id)).toEqual([a.keyId]);
    // Revoking twice: the second is 404.
    await api.http.delete(`/v1/api-keys/${b.keyId}`).set(bearer(b.key)).expect(204);
    await api.http.delete(`/v1/api-keys/${b.keyId}`).set(bearer(a.key)).expect(404);
  });

  it('a key restricted to connections can only create keys restricted to a subset (403 forbidden_scope)', async () => {
    const acc = await accountWithKey(api.http, 'professional');
    const restricted = await api.http
      .post('/v1/api-keys')
      .set(bearer(acc.key))
      .send({ name: 'r', connectionIds: ['con_a', 'con_b'] })
      .expect(201);
    const wider = await api.http
      .post('/v1/api-keys')
      .set(bearer(restricted.body.key))
      .send({ name: 'x' })
      .expect(403);
    expect(wider.body.code).toBe('forbidden_scope');
    await api.http
      .post('/v1/api-keys')
      .set(bearer(restricted.body.key))
      .send({ name: 'x', connectionIds: ['con_c'] })
      .expect(403);
    await api.http
      .post('/v1/api-keys')
      .set(bearer(restricted.body.key))
      .send({ name: 'x', connectionIds: ['con_b'] })
      .expect(201);
  });

  it('a restricted key sees and revokes only keys within its own connections (wider ones are 404)', async () => {
    const acc = await accountWithKey(api.http, 'professional');
    const restricted = await api.http
      .post('/v1/api-keys')
      .set(bearer(acc.key))
      .send({ name: 'r', connectionIds: ['con_a', 'con_b'] })
      .expect(201);
    const narrow = await api.http
      .post('/v1/api-keys')
      .set(bearer(restricted.body.key))
      .send({ name: 'n', connectionIds: ['con_a'] })
      .expect(201);
    const list = await api.http.get('/v1/api-keys').set(bearer(restricted.body.key)).expect(200);
    expect(list.body.data.map((k: { id: string }) => k.id).sort()).toEqual(
      [restricted.body.id, narrow.body.id].sort(),
    );
    const denied = await api.http
      .delete(`/v1/api-keys/${acc.keyId}`)
      .set(bearer(restricted.body.key))
      .expect(404);
    expect(denied.body.code).toBe('not_found');
    await api.http.get('/v1/account').set(bearer(acc.key)).expect(200);
    await api.http.delete(`/v1/api-keys/${narrow.body.id}`).set(bearer(restricted.body.key)).expect(204);
    // The unrestricted key still sees everything that is left.
    const all = await api.http.get('/v1/api-keys').set(bearer(acc.key)).expect(200);
    expect(all.body.data.map((k: { id: string }) => k.id).sort()).toEqual(
      [acc.keyId, restricted.body.id].sort(),
    );
  });

  it('operator-issued keys: 201 with the key; validation of name and connectionIds', async () => {
    const acc = await api.http.post('/v1/admin/accounts').set(admin).send({ name: 'o', plan: 'enterprise' });
    const res = await api.http
      .post(`/v1/admin/accounts/${acc.body.id}/api-keys`)
      .set(admin)
      .send({ name: 'ops' })
      .expect(201);
    expect(res.body).toMatchObject({ name: 'ops', connectionIds: null });
    expect(res.body.key).toMatch(/^wwb_/);
    for (const body of [
      {},
      { name: '' },
      { name: 5 },
      { name: 'x', connectionIds: 'con_a' },
      { name: 'x', connectionIds: ['bad id!'] },
      { name: 'x', connectionIds: ['a', 'a'] },
    ]) {
      const bad = await api.http
        .post(`/v1/admin/accounts/${acc.body.id}/api-keys`)
        .set(admin)
        .send(body)
        .expect(400);
      expect(bad.body.code).toBe('validation_failed');
    }
  });

  it('records lastUsedAt (at most once a minute)', async () => {
    const acc = await accountWithKey(api.http);
    await api.http.get('/v1/account').set(bearer(acc.key)).expect(200);
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 50 && !lastUsedAt; i++) {
      const list = await api.http.get('/v1/api-keys').set(bearer(acc.key)).expect(200);
      lastUsedAt = list.body.data[0].lastUsedAt;
      if (!lastUsedAt) await new Promise((r) => setTimeout(r, 50));
    }
    expect(lastUsedAt).not.toBeNull();
    expect(Date.now() - new Date(lastUsedAt!).getTime()).toBeLessThan(30_000);
  });
});
