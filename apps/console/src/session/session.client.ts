import { api, call, type Result } from '../api/api.client';
import type { components } from '../api/schema';

export type SessionUser = components['schemas']['ConsoleUserDto'];
export type SessionBody = components['schemas']['ConsoleSessionDto'];
type CurrentSession = SessionBody | components['schemas']['OperatorSessionDto'];

/**
 * The console sign-in routes. An operator session (for /v1/admin) is no session of the console:
 * it reads as signed out, and signing in as a user replaces its cookie.
 */
export const sessionClient = {
  async current(): Promise<Result<SessionBody>> {
    const result: Result<CurrentSession> = await call(api.GET('/v1/console/session'));
    if (!result.ok || 'user' in result.data) return result as Result<SessionBody>;
    return {
      ok: false,
      problem: { status: 401, code: 'not_signed_in', message: 'Sign in as a user of an account.' },
    };
  },
  signIn: (email: string, password: string): Promise<Result<SessionBody>> =>
    call(api.POST('/v1/console/session', { body: { email, password } })),
  signOut: (): Promise<Result<unknown>> => call(api.DELETE('/v1/console/session')),
  acceptInvitation: (token: string, name: string, password: string): Promise<Result<SessionBody>> =>
    call(api.POST('/v1/console/invitations/accept', { body: { token, name, password } })),
};
