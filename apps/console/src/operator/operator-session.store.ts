import { useCallback, useEffect, useState } from 'react';
import { api, call, setCsrfToken, type Result } from '../api/api.client';
import type { ApiProblem } from '../api/api-error.mapper';

export type OperatorState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; csrfToken: string; expiresAt: string }
  | { status: 'unknown'; problem: ApiProblem };

type Session = { csrfToken: string; expiresAt: string };

/**
 * The operator's console session (POST /v1/console/operator-session), apart from the account
 * users' SessionProvider, which reads an operator session as signed out. Pages pass the CSRF token
 * on each change themselves, so that the user session store clearing its token does not matter.
 */
export function useOperatorSession(): {
  state: OperatorState;
  signIn: (adminKey: string) => Promise<ApiProblem | null>;
  signOut: () => Promise<void>;
  /** A call answered 401: the session ended. */
  ended: () => void;
} {
  const [state, setState] = useState<OperatorState>({ status: 'loading' });

  const adopt = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  }, []);

  useEffect(() => {
    let live = true;
    void call(api.GET('/v1/console/session')).then((result) => {
      if (!live) return;
      if (result.ok && 'operator' in result.data) adopt(result.data);
      else if (result.ok || result.problem.status === 401) setState({ status: 'signed-out' });
      else setState({ status: 'unknown', problem: result.problem });
    });
    return () => {
      live = false;
    };
  }, [adopt]);

  const signIn = useCallback(
    async (adminKey: string) => {
      const result: Result<Session> = await call(
        api.POST('/v1/console/operator-session', { body: { adminKey } }),
      );
      if (!result.ok) return result.problem;
      adopt(result.data);
      return null;
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    await call(api.DELETE('/v1/console/session'));
    setCsrfToken(null);
    setState({ status: 'signed-out' });
  }, []);

  const ended = useCallback(() => setState({ status: 'signed-out' }), []);
  return { state, signIn, signOut, ended };
}

/** The header a change made with the operator session needs. */
export const csrfHeader = (csrfToken: string) => ({ 'X-CSRF-Token': csrfToken });
