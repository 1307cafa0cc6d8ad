import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { CreatedAccount } from './e2e-app';
import { bearer } from './e2e-app';

/** Console users and sessions for e2e tests (issue 11). */
export const PASSWORD = 'correct horse battery';

let seq = 0;
/** A number no other call in this process got: unique emails and client addresses. */
export const nextSeq = (): number => ++seq;

/**
 * A client address of its own (the API runs with TRUST_PROXY=1), so that the failure budgets of
 * two cases never mix.
 */
export const address = (): { 'X-Forwarded-For': string } => ({
  'X-Forwarded-For': `203.0.${Math.floor(nextSeq() / 250)}.${seq % 250}`,
});

/** The `wwb_session=…` pair of an answer's Set-Cookie, and the whole header. */
export function sessionCookieOf(res: Response): { pair: string; header: string } {
  const all = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const header = all.find((c) => c.startsWith('wwb_session='));
  if (!header) throw new Error(`no session cookie in ${JSON.stringify(all)}`);
  return { pair: header.split(';')[0]!, header };
}

export interface Person {
  cookie: { Cookie: string };
  csrf: { 'X-CSRF-Token': string };
  userId: string;
  email: string;
}

export const invite = (http: TestAgent, key: string, email: string, role: string) =>
  http.post('/v1/users/invitations').set(bearer(key)).send({ email, role });

export const accept = (http: TestAgent, token: string, password = PASSWORD, name = 'X') =>
  http.post('/v1/console/invitations/accept').set(address()).send({ token, name, password });

export const signIn = (http: TestAgent, email: string, password = PASSWORD) =>
  http.post('/v1/console/session').set(address()).send({ email, password });

/** Invites `role` into `acc` with its key and accepts: a signed-in user. */
export async function person(http: TestAgent, acc: CreatedAccount, role: string): Promise<Person> {
  const email = `${role}-${nextSeq()}@example.com`;
  const inv = await invite(http, acc.key, email, role).expect(201);
  const res = await accept(http, inv.body.token as string, PASSWORD, `The ${role}`).expect(200);
  return {
    cookie: { Cookie: sessionCookieOf(res).pair },
    csrf: { 'X-CSRF-Token': res.body.csrfToken as string },
    userId: res.body.user.id as string,
    email,
  };
}
