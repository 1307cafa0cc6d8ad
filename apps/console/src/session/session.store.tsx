import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSessionEnded, setCsrfToken, type Result } from '../api/api.client';
import type { ApiProblem } from '../api/api-error.mapper';
import { useApiHealth } from '../api/api-health.store';
import { sessionClient, type SessionBody, type SessionUser } from './session.client';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: SessionUser; expiresAt: string }
  /** The session could not be read: the API is down; the banner offers to try again. */
  | { status: 'unknown'; problem: ApiProblem };

export interface Session {
  state: SessionState;
  /** Resolves to the problem to show, or null once signed in. */
  signIn(email: string, password: string): Promise<ApiProblem | null>;
  acceptInvitation(token: string, name: string, password: string): Promise<ApiProblem | null>;
  signOut(): Promise<ApiProblem | null>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user, for pages that only render with a session. */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a session');
  return state.user;
}

/**
 * Holds the console session: read once at start (GET /v1/console/session), set by sign-in or an
 * accepted invitation, and dropped on sign-out or when any call answers 401 (the cookie expired
 * or the user was removed). The CSRF token lives in memory only and comes back with each read.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const { attempt } = useApiHealth();

  const adopt = useCallback((result: Result<SessionBody>): ApiProblem | null => {
    if (result.ok) {
      setCsrfToken(result.data.csrfToken);
      setState({ status: 'signed-in', user: result.data.user, expiresAt: result.data.expiresAt });
      return null;
    }
    if (result.problem.status === 401) {
      setCsrfToken(null);
      setState({ status: 'signed-out' });
    }
    return result.problem;
  }, []);

  useEffect(() => {
    onSessionEnded(() => {
      setCsrfToken(null);
      setState({ status: 'signed-out' });
    });
  }, []);

  useEffect(() => {
    let live = true;
    void sessionClient.current().then((result) => {
      if (!live) return;
      if (result.ok || result.problem.status === 401) adopt(result);
      else setState((s) => (s.status === 'signed-in' ? s : { status: 'unknown', problem: result.problem }));
    });
    return () => {
      live = false;
    };
    // Read again after "Try again" in the banner, so a console opened while the API was down recovers.
  }, [adopt, attempt]);

  const session = useMemo<Session>(
    () => ({
      state,
      signIn: async (email, password) => adopt(await sessionClient.signIn(email, password)),
      acceptInvitation: async (token, name, password) =>
        adopt(await sessionClient.acceptInvitation(token, name, password)),
      signOut: async () => {
        const result = await sessionClient.signOut();
        if (!result.ok && result.problem.status !== 401) return result.problem;
        setCsrfToken(null);
        setState({ status: 'signed-out' });
        return null;
      },
    }),
    [state, adopt],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
