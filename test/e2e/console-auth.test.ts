/**
 * Console sign-in for people (issue 11): users invited by an account, cookie sessions with a CSRF
 * token, roles decided per route, the operator's session, plan limit, throttling. The real API on
 * the real Kafka and FerretDB.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { TEST_ADMIN_KEY, waitFor } from '@wwb/testing';
import { SseClient } from './support/connections-stack';
import {
  accept,
  address,
  invite,
  nextSeq,
  PASSWORD,
  Person,
  person,
  sessionCookieOf,
  signIn,
} from './support/console-people';
import { accountWithKey, admin, bearer, CreatedAccount, E2eApp, startApi } from './support/e2e-app';
import { untilWindowHasRoom } from './support/limit-windows';

jest.setTimeout(90_000);

const AUTH_FAILURES = 5;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let api: E2eApp;
let db: Connection;

beforeAll(async () => {
  api = await startApi({ AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES), TRUST_PROXY: '1' });
  db = api.app.get<Connection>(getConnectionToken());
});
afterAll(() => api?.close());

describe('sign-in and sign-out', () => {
  it('an invited person accepts, signs out, signs in again with the email in any case; cookie flags', async () => {
    const acc = await accountWithKey(api.http, 'professional');
    const inv = await invite(api.http, acc.key, 'Ana.Perez@Example.com', 'support').expect(201);
    expect(inv.headers['cache-control']).toBe('no-store');
    expect(inv.body).toMatchObject({ email: 'ana.perez@example.com', role: 'support' });
    expect(inv.body.id).toMatch(/^inv_[0-9A-Z]{26}$/);
    expect(inv.body.acceptUrl).toBe(
      `${api.config.http.publicBaseUrl.replace(/\/$/, '')}/console/accept-invitation?token=${inv.body.token}`,
    );
    expect(Date.parse(inv.body.expiresAt) - Date.parse(inv.body.createdAt)).toBe(7 * 24 * 3600_000);

    const accepted = await api.http
      .post('/v1/console/invitations/accept')
      .set(address())
      .send({ token: inv.body.token, name: 'Ana Pérez', password: PASSWORD })
      .expect(200);
    expect(accepted.body.user).toEqual({
      id: expect.stringMatching(/^usr_[0-9A-Z]{26}$/),
      accountId: acc.id,
      email: 'ana.perez@example.com',
      name: 'Ana Pérez',
      role: 'support',
    });
    const { pair, header } = sessionCookieOf(accepted);
    expect(header).toMatch(
      /^wwb_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/,
    );

    const current = await api.http.get('/v1/console/session').set('Cookie', pair).expect(200);
    expect(current.body).toEqual({
      user: accepted.body.user,
      csrfToken: accepted.body.csrfToken,
      expiresAt: expect.any(String),
    });
    expect(Date.parse(current.body.expiresAt)).toBeGreaterThan(Date.now() + 11.9 * 3600_000);

    const out = await api.http.delete('/v1/console/session').set('Cookie', pair).expect(204);
    expect(sessionCookieOf(out).header).toMatch(/^wwb_session=; .*Max-Age=0/);
    expect((await api.http.get('/v1/console/session').set('Cookie', pair).expect(401)).body.code).toBe(
      'not_signed_in',
    );
    expect((await api.http.get('/v1/account').set('Cookie', pair).expect(401)).body.code).toBe(
      'not_signed_in',
    );
    expect((await api.http.get('/v1/console/session').expect(401)).body.code).toBe('not_signed_in');

    const again = await signIn(api.http, 'ANA.PEREZ@example.com').expect(200);
    expect(again.body.user.id).toBe(accepted.body.user.id);
    expect(again.body.csrfToken).not.toBe(accepted.body.csrfToken);
    await api.http.get('/v1/account').set('Cookie', sessionCookieOf(again).pair).expect(200);
  });

  it('the cookie is Secure when the request came over https (trusted proxy)', async () => {
    const acc = await accountWithKey(api.http);
    const p = await person(api.http, acc, 'viewer');
    const res = await api.http
      .post('/v1/console/session')
      .set(address())
      .set('X-Forwarded-Proto', 'https')
      .send({ email: p.email, password: PASSWORD })
      .expect(200);
    expect(sessionCookieOf(res).header).toMatch(/; Secure$/);
  });

  it('stores only hashes: the password (scrypt), the session token, the invitation token', async () => {
    const acc = await accountWithKey(api.http);
    const inv = await invite(api.http, acc.key, `hash-${nextSeq()}@example.com`, 'viewer').expect(201);
    const storedInv = await db.collection('user_invitations').findOne({ _id: inv.body.id });
    expect(storedInv!.tokenHash).toBe(sha256(inv.body.token));
    expect(JSON.stringify(storedInv)).not.toContain(inv.body.token);
    const res = await api.http
      .post('/v1/console/invitations/accept')
      .set(address())
      .send({ token: inv.body.token, name: 'H', password: PASSWORD })
      .expect(200);
    const token = sessionCookieOf(res).pair.split('=')[1]!;
    const user = await db.collection('users').findOne({ _id: res.body.user.id });
    expect(user!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    expect(await db.collection('console_sessions').findOne({ _id: sha256(token) as never })).not.toBeNull();
    expect(JSON.stringify(await db.collection('console_sessions').find().toArray())).not.toContain(token);
  });
});

describe('sessions on the account routes', () => {
  let acc: CreatedAccount;
  let contactId: string;
  const people: Record<string, Person> = {};

  beforeAll(async () => {
    acc = await accountWithKey(api.http, 'professional');
    for (const role of ['admin', 'support', 'marketing', 'viewer'])
      people[role] = await person(api.http, acc, role);
    const contact = await api.http.post('/v1/contacts').set(bearer(acc.key)).send({ phone: '+15550001001' });
    expect(contact.status).toBe(201);
    contactId = contact.body.id as string;
  });

  const as = (role: string) => ({ ...people[role]!.cookie, ...people[role]!.csrf });

  it('a change needs X-CSRF-Token equal to the session csrfToken; reads and API keys do not', async () => {
    const body = { phone: '+15550001002' };
    const none = await api.http.post('/v1/contacts').set(people.marketing!.cookie).send(body).expect(403);
    expect(none.body.code).toBe('csrf_failed');
    const wrong = await api.http
      .post('/v1/contacts')
      .set(people.marketing!.cookie)
      .set('X-CSRF-Token', people.admin!.csrf['X-CSRF-Token'])
      .send(body)
      .expect(403);
    expect(wrong.body.code).toBe('csrf_failed');
    await api.http.post('/v1/contacts').set(as('marketing')).send(body).expect(201);
    await api.http.get('/v1/contacts').set(people.marketing!.cookie).expect(200);
    await api.http.post('/v1/contacts').set(bearer(acc.key)).send({ phone: '+15550001003' }).expect(201);
  });

  it('each role is allowed and refused on its routes (403 forbidden_role naming the role)', async () => {
    const cases: [
      role: string,
      method: 'get' | 'post',
      path: string,
      body: object | undefined,
      status: number,
    ][] = [
      ['viewer', 'get', '/v1/account', undefined, 200],
      ['viewer', 'get', '/v1/contacts', undefined, 200],
      ['viewer', 'get', '/v1/api-keys', undefined, 403],
      ['viewer', 'get', '/v1/users', undefined, 403],
      ['viewer', 'post', '/v1/contacts', { phone: '+15550001010' }, 403],
      ['viewer', 'post', `/v1/contacts/${contactId}/opt-out`, {}, 403],
      ['support', 'post', `/v1/contacts/${contactId}/opt-out`, { reason: 'asked' }, 200],
      ['support', 'post', `/v1/contacts/${contactId}/opt-in`, {}, 200],
      ['support', 'post', '/v1/contacts', { phone: '+15550001011' }, 403],
      ['support', 'get', '/v1/users', undefined, 403],
      ['marketing', 'post', '/v1/contacts', { phone: '+15550001012' }, 201],
      ['marketing', 'post', '/v1/api-keys', { name: 'm' }, 403],
      ['marketing', 'post', '/v1/connections', { name: 'm' }, 403],
      ['admin', 'post', '/v1/api-keys', { name: 'by-admin' }, 201],
      ['admin', 'get', '/v1/users', undefined, 200],
    ];
    for (const [role, method, path, body, status] of cases) {
      const req = api.http[method](path).set(as(role));
      const res = body ? await req.send(body) : await req;
      expect({ role, method, path, status: res.status }).toEqual({ role, method, path, status });
      if (status === 403) {
        expect(res.body.code).toBe('forbidden_role');
        expect(res.body.message).toContain(role);
      }
    }
  });

  it('a viewer cannot POST, PATCH or DELETE anything, even with the right CSRF token', async () => {
    for (const [method, path] of [
      ['post', '/v1/templates'],
      ['patch', `/v1/contacts/${contactId}`],
      ['delete', `/v1/contacts/${contactId}`],
      ['post', '/v1/users/invitations'],
    ] as const) {
      const res = await api.http[method](path).set(as('viewer')).send({});
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'forbidden_role']);
    }
    await api.http.get(`/v1/contacts/${contactId}`).set(people.admin!.cookie).expect(200);
  });

  it('the actor is the user: API usage is counted under the user id', async () => {
    const viewer = people.viewer!;
    const res = await api.http.get('/v1/account').set(viewer.cookie).expect(200);
    expect(res.body.id).toBe(acc.id);
    expect(res.headers['x-ratelimit-remaining']).toBeDefined();
    await waitFor(
      async () => {
        const days = (await db.listCollections()).filter((c) => c.name.startsWith('analytics_usage_'));
        for (const { name } of days) {
          if (await db.collection(name).findOne({ apiKeyId: viewer.userId, accountId: acc.id })) return true;
        }
        return false;
      },
      { timeoutMs: 15_000, what: "the viewer's usage under its user id" },
    );
  });

  it('Server-Sent Events work with the cookie (what EventSource sends)', async () => {
    const con = await api.http.post('/v1/connections').set(bearer(acc.key)).send({ name: 'sse' }).expect(201);
    const sse = new SseClient(`${api.baseUrl}/v1/connections/${con.body.id}/events`, people.viewer!.cookie);
    try {
      await sse.next((m) => m.event === 'connection', 20_000, 'SSE snapshot with a cookie');
      expect(sse.status).toBe(200);
      expect(sse.headers?.['content-type']).toMatch(/^text\/event-stream/);
    } finally {
      sse.close();
    }
  });
});

describe('the operator and failures', () => {
  it('an operator session opens /v1/admin (CSRF on changes) and is 403 forbidden_scope on account routes', async () => {
    const wrong = await api.http
      .post('/v1/console/operator-session')
      .set(address())
      .send({ adminKey: 'w'.repeat(40) })
      .expect(401);
    expect(wrong.body.code).toBe('invalid_admin_key');
    const res = await api.http
      .post('/v1/console/operator-session')
      .set(address())
      .send({ adminKey: TEST_ADMIN_KEY })
      .expect(200);
    expect(res.body).toEqual({
      operator: true,
      csrfToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    const cookie = { Cookie: sessionCookieOf(res).pair };
    expect((await api.http.get('/v1/console/session').set(cookie).expect(200)).body).toEqual(res.body);

    await api.http.get('/v1/admin/accounts').set(cookie).expect(200);
    const noCsrf = await api.http
      .post('/v1/admin/accounts')
      .set(cookie)
      .send({ name: 'op', plan: 'starter' });
    expect([noCsrf.status, noCsrf.body.code]).toEqual([403, 'csrf_failed']);
    await api.http
      .post('/v1/admin/accounts')
      .set(cookie)
      .set('X-CSRF-Token', res.body.csrfToken)
      .send({ name: 'op', plan: 'starter' })
      .expect(201);
    const account = await api.http.get('/v1/account').set(cookie).expect(403);
    expect(account.body.code).toBe('forbidden_scope');

    // And a user's session does not open the operator routes.
    const user = await person(api.http, await accountWithKey(api.http), 'admin');
    expect((await api.http.get('/v1/admin/accounts').set(user.cookie).expect(403)).body.code).toBe(
      'forbidden_scope',
    );
  });

  it('wrong password and unknown email: the same 401; then 429 too_many_auth_failures from that address', async () => {
    const acc = await accountWithKey(api.http);
    const ana = await person(api.http, acc, 'viewer');
    const from = address();
    await untilWindowHasRoom(60_000, 15_000);
    const wrongPassword = await api.http
      .post('/v1/console/session')
      .set(from)
      .send({ email: ana.email, password: 'not the password' })
      .expect(401);
    const unknownEmail = await api.http
      .post('/v1/console/session')
      .set(from)
      .send({ email: 'nobody@example.com', password: PASSWORD })
      .expect(401);
    expect(wrongPassword.body.code).toBe('invalid_credentials');
    expect({ ...unknownEmail.body, requestId: '' }).toEqual({ ...wrongPassword.body, requestId: '' });
    for (let i = 2; i < AUTH_FAILURES; i++) {
      await api.http
        .post('/v1/console/session')
        .set(from)
        .send({ email: ana.email, password: 'nope nope' })
        .expect(401);
    }
    const limited = await api.http
      .post('/v1/console/session')
      .set(from)
      .send({ email: ana.email, password: PASSWORD })
      .expect(429);
    expect(limited.body.code).toBe('too_many_auth_failures');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Bad API keys count in the same budget; another address is not affected.
    await api.http
      .get('/v1/account')
      .set(from)
      .set(bearer(`wwb_${'Z'.repeat(43)}`))
      .expect(429);
    await signIn(api.http, ana.email).expect(200);
  });

  it('a disabled account: its sessions end, sign-in and invitations answer 403 account_disabled', async () => {
    const acc = await accountWithKey(api.http);
    const ana = await person(api.http, acc, 'viewer');
    const inv = await invite(api.http, acc.key, `late-${nextSeq()}@example.com`, 'viewer').expect(201);
    await api.http.patch(`/v1/admin/accounts/${acc.id}`).set(admin).send({ disabled: true }).expect(200);
    // Sessions are cached for at most 5 s per process.
    await waitFor(async () => (await api.http.get('/v1/account').set(ana.cookie)).status === 403, {
      timeoutMs: 10_000,
      what: 'the session refused',
    });
    expect((await api.http.get('/v1/account').set(ana.cookie).expect(401)).body.code).toBe('not_signed_in');
    const refused = await signIn(api.http, ana.email).expect(403);
    expect(refused.body.code).toBe('account_disabled');
    const late = await accept(api.http, inv.body.token).expect(403);
    expect(late.body.code).toBe('account_disabled');
  });
});
