/**
 * Console users (issue 11): invitations, roles, removal, plan limit, tenancy. The real API on the
 * real Kafka and FerretDB.
 */
import { accept, invite, nextSeq, person, signIn } from './support/console-people';
import { accountWithKey, bearer, E2eApp, startApi } from './support/e2e-app';

jest.setTimeout(90_000);

let api: E2eApp;

beforeAll(async () => {
  api = await startApi({ TRUST_PROXY: '1' });
});
afterAll(() => api?.close());

describe('user management', () => {
  it('lists users and pending invitations (never the token); a role change ends the sessions', async () => {
    const acc = await accountWithKey(api.http);
    const ana = await person(api.http, acc, 'viewer');
    const pending = await invite(api.http, acc.key, `pending-${nextSeq()}@example.com`, 'marketing').expect(
      201,
    );
    const users = await api.http.get('/v1/users').set(bearer(acc.key)).expect(200);
    expect(users.body.data).toEqual([
      { id: ana.userId, email: ana.email, name: 'The viewer', role: 'viewer', createdAt: expect.any(String) },
    ]);
    const invitations = await api.http.get('/v1/users/invitations').set(bearer(acc.key)).expect(200);
    expect(invitations.body.data).toEqual([
      {
        id: pending.body.id,
        email: pending.body.email,
        role: 'marketing',
        createdAt: pending.body.createdAt,
        expiresAt: pending.body.expiresAt,
      },
    ]);
    expect(JSON.stringify(invitations.body)).not.toContain(pending.body.token);

    const changed = await api.http
      .patch(`/v1/users/${ana.userId}`)
      .set(bearer(acc.key))
      .send({ role: 'support' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: ana.userId, role: 'support' });
    expect((await api.http.get('/v1/account').set(ana.cookie).expect(401)).body.code).toBe('not_signed_in');
    const back = await signIn(api.http, ana.email).expect(200);
    expect(back.body.user.role).toBe('support');

    await api.http.delete(`/v1/users/invitations/${pending.body.id}`).set(bearer(acc.key)).expect(204);
    await api.http.delete(`/v1/users/invitations/${pending.body.id}`).set(bearer(acc.key)).expect(404);
    const gone = await accept(api.http, pending.body.token).expect(404);
    expect(gone.body.code).toBe('invitation_not_found');
  });

  it('deleting a user ends its session at once; an admin user manages users too', async () => {
    const acc = await accountWithKey(api.http);
    const boss = await person(api.http, acc, 'admin');
    const bob = await person(api.http, acc, 'marketing');
    await api.http.get('/v1/account').set(bob.cookie).expect(200);
    await api.http.delete(`/v1/users/${bob.userId}`).set(boss.cookie).expect(403); // no CSRF token
    await api.http
      .delete(`/v1/users/${bob.userId}`)
      .set({ ...boss.cookie, ...boss.csrf })
      .expect(204);
    expect((await api.http.get('/v1/account').set(bob.cookie).expect(401)).body.code).toBe('not_signed_in');
    const again = await signIn(api.http, bob.email).expect(401);
    expect(again.body.code).toBe('invalid_credentials');
    await api.http.delete(`/v1/users/${bob.userId}`).set(bearer(acc.key)).expect(404);
  });

  it('the last admin of an account can be neither demoted nor removed (409 last_admin); with a second admin both work', async () => {
    const acc = await accountWithKey(api.http);
    const first = await person(api.http, acc, 'admin');
    const viewer = await person(api.http, acc, 'viewer');
    const demote = await api.http
      .patch(`/v1/users/${first.userId}`)
      .set({ ...first.cookie, ...first.csrf })
      .send({ role: 'viewer' })
      .expect(409);
    expect(demote.body.code).toBe('last_admin');
    const remove = await api.http.delete(`/v1/users/${first.userId}`).set(bearer(acc.key)).expect(409);
    expect(remove.body.code).toBe('last_admin');
    // Other users are not held back by it, and the admin stays signed in.
    await api.http.delete(`/v1/users/${viewer.userId}`).set(bearer(acc.key)).expect(204);
    await api.http.get('/v1/account').set(first.cookie).expect(200);

    const second = await person(api.http, acc, 'admin');
    const demoted = await api.http
      .patch(`/v1/users/${first.userId}`)
      .set(bearer(acc.key))
      .send({ role: 'support' })
      .expect(200);
    expect(demoted.body.role).toBe('support');
    const last = await api.http.delete(`/v1/users/${second.userId}`).set(bearer(acc.key)).expect(409);
    expect(last.body.code).toBe('last_admin');
    await api.http
      .patch(`/v1/users/${first.userId}`)
      .set(bearer(acc.key))
      .send({ role: 'admin' })
      .expect(200);
    await api.http.delete(`/v1/users/${second.userId}`).set(bearer(acc.key)).expect(204);
  });

  it("another account's users and invitations are 404; a key restricted to connections is 403 forbidden_scope", async () => {
    const a = await accountWithKey(api.http);
    const b = await accountWithKey(api.http);
    const ana = await person(api.http, a, 'viewer');
    const inv = await invite(api.http, a.key, `x-${nextSeq()}@example.com`, 'viewer').expect(201);
    for (const req of [
      api.http.patch(`/v1/users/${ana.userId}`).send({ role: 'admin' }),
      api.http.delete(`/v1/users/${ana.userId}`),
      api.http.delete(`/v1/users/invitations/${inv.body.id}`),
    ]) {
      const res = await req.set(bearer(b.key));
      expect([res.status, res.body.code]).toEqual([404, 'not_found']);
    }
    expect((await api.http.get('/v1/users').set(bearer(b.key)).expect(200)).body.data).toEqual([]);
    await api.http.get(`/v1/account`).set(ana.cookie).expect(200);

    const restricted = await api.http
      .post('/v1/api-keys')
      .set(bearer(a.key))
      .send({ name: 'r', connectionIds: ['con_a'] })
      .expect(201);
    expect((await api.http.get('/v1/users').set(bearer(restricted.body.key)).expect(403)).body.code).toBe(
      'forbidden_scope',
    );
  });

  it('invitation errors: unknown token 404, weak password 400, email already a user 409; email unique across accounts', async () => {
    const a = await accountWithKey(api.http);
    const b = await accountWithKey(api.http);
    const bad = await accept(api.http, 'A'.repeat(43)).expect(404);
    expect(bad.body.code).toBe('invitation_not_found');

    const inv = await invite(api.http, a.key, `dup-${nextSeq()}@example.com`, 'viewer').expect(201);
    const weak = await accept(api.http, inv.body.token, 'short').expect(400);
    expect(weak.body.code).toBe('weak_password');
    const tooLong = await accept(api.http, inv.body.token, 'x'.repeat(201)).expect(400);
    expect(tooLong.body.code).toBe('weak_password');

    const fromB = await invite(api.http, b.key, inv.body.email.toUpperCase(), 'admin').expect(201);
    await accept(api.http, inv.body.token).expect(200);
    const exists = await accept(api.http, fromB.body.token).expect(409);
    expect(exists.body.code).toBe('user_exists');
    // The used token is gone; inviting a user of this account again is 409 too.
    await accept(api.http, inv.body.token).expect(404);
    expect((await invite(api.http, a.key, inv.body.email, 'admin').expect(409)).body.code).toBe(
      'user_exists',
    );
  });

  it('users plus pending invitations are limited by the plan (starter: 3), shown in GET /v1/account', async () => {
    const acc = await accountWithKey(api.http, 'starter');
    await person(api.http, acc, 'admin');
    const second = await invite(api.http, acc.key, `s2-${nextSeq()}@example.com`, 'viewer').expect(201);
    // Inviting the same email again replaces the pending invitation: no second slot.
    const resent = await invite(api.http, acc.key, second.body.email, 'support').expect(201);
    await invite(api.http, acc.key, `s3-${nextSeq()}@example.com`, 'viewer').expect(201);
    const over = await invite(api.http, acc.key, `s4-${nextSeq()}@example.com`, 'viewer').expect(403);
    expect(over.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'users', plan: 'starter', limit: 3 },
    });
    const me = await api.http.get('/v1/account').set(bearer(acc.key)).expect(200);
    expect(me.body.limits.users).toBe(3);
    expect(me.body.usage.users).toBe(3);
    const replaced = await accept(api.http, second.body.token).expect(404);
    expect(replaced.body.code).toBe('invitation_not_found');

    await api.http.delete(`/v1/users/invitations/${resent.body.id}`).set(bearer(acc.key)).expect(204);
    await invite(api.http, acc.key, `s5-${nextSeq()}@example.com`, 'viewer').expect(201);
  });
});
