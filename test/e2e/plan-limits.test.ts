import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { admin, bearer, E2eApp, startApi } from './support/e2e-app';

describe('plan limits (e2e)', () => {
  let api: E2eApp;
  let db: Connection;

  beforeAll(async () => {
    api = await startApi();
    db = api.app.get<Connection>(getConnectionToken());
  });
  afterAll(() => api.close());

  const createAccount = async (plan: string) =>
    (
      await api.http
        .post('/v1/admin/accounts')
        .set(admin)
        .send({ name: `limits-${plan}`, plan })
        .expect(201)
    ).body as { id: string; limits: { apiKeys: number | null; connections: number | null } };

  const issue = (accountId: string, name = 'k') =>
    api.http.post(`/v1/admin/accounts/${accountId}/api-keys`).set(admin).send({ name });

  const activeKeys = (accountId: string) =>
    db.collection('api_keys').countDocuments({ accountId, revokedAt: { $exists: false } });

  it('starter: one key; the second is 403 plan_limit_exceeded (operator and self-service alike)', async () => {
    const acc = await createAccount('starter');
    expect(acc.limits).toEqual({
      apiKeys: 1,
      connections: 1,
      webhooks: 2,
      templates: 20,
      autoReplies: 20,
      faqBots: 1,
      campaigns: 5,
      users: 3,
      contacts: 1000,
      pendingMessages: 1000,
      mediaBytes: 1073741824,
      sseStreams: 5,
      webhookJobs: 2,
      mediaFetches: 4,
      scheduledMessages: 100,
      bulkJobs: 1,
    });
    const first = await issue(acc.id).expect(201);

    const byAdmin = await issue(acc.id).expect(403);
    expect(byAdmin.body).toMatchObject({ statusCode: 403, code: 'plan_limit_exceeded' });
    expect(byAdmin.body.details).toMatchObject({ resource: 'apiKeys', plan: 'starter', limit: 1 });

    const bySelf = await api.http
      .post('/v1/api-keys')
      .set(bearer(first.body.key))
      .send({ name: 'second' })
      .expect(403);
    expect(bySelf.body.code).toBe('plan_limit_exceeded');

    const me = await api.http.get('/v1/account').set(bearer(first.body.key)).expect(200);
    expect(me.body.usage).toEqual({
      apiKeys: 1,
      connections: 0,
      webhooks: 0,
      templates: 0,
      autoReplies: 0,
      faqBots: 0,
      campaigns: 0,
      users: 0,
      pendingMessages: 0,
      mediaBytes: 0,
      sseStreams: 0,
      webhookJobs: 0,
      mediaFetches: 0,
      scheduledMessages: 0,
      bulkJobs: 0,
    });
  });

  it('revoking a key frees its slot', async () => {
    const acc = await createAccount('starter');
    const first = await issue(acc.id).expect(201);
    await api.http.delete(`/v1/api-keys/${first.body.id}`).set(bearer(first.body.key)).expect(204);
    await issue(acc.id).expect(201);
    expect(await activeKeys(acc.id)).toBe(1);
  });

  it('concurrent creations never exceed the limit (starter: 1 of 12, professional: 5 of 20)', async () => {
    for (const [plan, limit, attempts] of [
      ['starter', 1, 12],
      ['professional', 5, 20],
    ] as const) {
      const acc = await createAccount(plan);
      const results = await Promise.all(Array.from({ length: attempts }, (_, i) => issue(acc.id, `c${i}`)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(limit);
      expect(statuses.filter((s) => s === 403)).toHaveLength(attempts - limit);
      for (const r of results.filter((x) => x.status === 403))
        expect(r.body.code).toBe('plan_limit_exceeded');
      expect(await activeKeys(acc.id)).toBe(limit);
      const stored = await api.http.get(`/v1/admin/accounts/${acc.id}`).set(admin).expect(200);
      expect(stored.body.usage.apiKeys).toBe(limit);
    }
  });

  it('enterprise is unlimited (limits null) but for what one tenant could starve the others with', async () => {
    const acc = await createAccount('enterprise');
    expect(acc.limits).toEqual({
      apiKeys: null,
      connections: null,
      webhooks: null,
      templates: null,
      autoReplies: null,
      faqBots: null,
      campaigns: null,
      users: null,
      contacts: null,
      pendingMessages: 100000,
      mediaBytes: 107374182400,
      sseStreams: 100,
      webhookJobs: 20,
      mediaFetches: 64,
      scheduledMessages: 100000,
      bulkJobs: 20,
    });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => issue(acc.id, `e${i}`)));
    expect(results.every((r) => r.status === 201)).toBe(true);
  });

  it('a downgrade below usage is allowed; new keys are refused until usage is under the limit', async () => {
    const acc = await createAccount('professional');
    const keys = [];
    for (let i = 0; i < 3; i++)
      keys.push((await issue(acc.id, `p${i}`).expect(201)).body as { id: string; key: string });

    const patched = await api.http
      .patch(`/v1/admin/accounts/${acc.id}`)
      .set(admin)
      .send({ plan: 'starter' })
      .expect(200);
    expect(patched.body).toMatchObject({ plan: 'starter', limits: { apiKeys: 1 }, usage: { apiKeys: 3 } });

    // Existing keys keep working; a new one is refused.
    await api.http.get('/v1/account').set(bearer(keys[0]!.key)).expect(200);
    expect((await issue(acc.id).expect(403)).body.code).toBe('plan_limit_exceeded');

    // Back to one key: still at the limit; down to zero: one fits again.
    await api.http.delete(`/v1/api-keys/${keys[2]!.id}`).set(bearer(keys[0]!.key)).expect(204);
    await api.http.delete(`/v1/api-keys/${keys[1]!.id}`).set(bearer(keys[0]!.key)).expect(204);
    await issue(acc.id).expect(403);
    await api.http.delete(`/v1/api-keys/${keys[0]!.id}`).set(bearer(keys[0]!.key)).expect(204);
    await issue(acc.id).expect(201);
  });
});
