import createClient, { type Middleware } from 'openapi-fetch';
import { apiHealth } from './api-health.store';
import { toProblem, unreachable, type ApiProblem } from './api-error.mapper';
import type { paths } from './schema';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Calls whose 401 is an answer (wrong password, no session yet), not a session that ended. */
const AUTH_PATHS = new Set(['/v1/console/session', '/v1/console/invitations/accept']);

let csrfToken: string | null = null;
let onSignedOut: () => void = () => undefined;

/** The session's CSRF token, sent with every unsafe call (the session cookie alone is not enough). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when a call finds the session gone: the session store sends the user to sign-in. */
export function onSessionEnded(handler: () => void): void {
  onSignedOut = handler;
}

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ response, schemaPath }) {
    if (response.status >= 500) apiHealth.failing();
    else apiHealth.answered();
    if (response.status === 401 && !AUTH_PATHS.has(schemaPath)) onSignedOut();
    return response;
  },
  onError() {
    apiHealth.unreachable();
  },
};

/** The typed client of the API (types generated from the OpenAPI document); the cookie is sent. */
export const api = createClient<paths>({
  baseUrl: typeof location === 'undefined' ? '' : location.origin,
  credentials: 'same-origin',
});
api.use(sessionMiddleware);

export type Result<T> = { ok: true; data: T } | { ok: false; problem: ApiProblem };

/** Awaits a call of `api` and turns every way it can fail into an ApiProblem. */
export async function call<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Result<T>> {
  try {
    const { data, error, response } = await pending;
    if (response.ok) return { ok: true, data: data as T };
    return { ok: false, problem: toProblem(response.status, error) };
  } catch {
    return { ok: false, problem: unreachable() };
  }
}
