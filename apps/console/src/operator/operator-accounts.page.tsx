import { useState } from 'react';
import { api, call, type Result } from '../api/api.client';
import type { ApiProblem } from '../api/api-error.mapper';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { ShownOnce } from '../api-keys/shown-once.component';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { useApiData } from '../ui/api-data.store';
import { EmptyState, LoadError } from '../ui/page.component';
import { AccountRow } from './account-row.component';
import { CreateAccountCard, IssueKeyCard } from './operator-forms.component';
import { OperatorFrame } from './operator-frame.component';
import type { Account } from './operator.mapper';
import { csrfHeader, useOperatorSession } from './operator-session.store';

/** Every account of the platform: create one, change its plan, disable it, issue it an API key. */
export function OperatorAccountsPage() {
  const session = useOperatorSession();
  const { state } = session;
  const signOut = async () => {
    await session.signOut();
    navigate(urls.operatorSignIn);
  };
  if (state.status === 'loading') {
    return (
      <OperatorFrame title="Accounts">
        <p className="muted" role="status">
          Loading…
        </p>
      </OperatorFrame>
    );
  }
  if (state.status !== 'signed-in') {
    return (
      <OperatorFrame title="Accounts">
        <p className="note" data-testid="operator-signed-out">
          {state.status === 'unknown' ? state.problem.message : 'This page needs the operator session.'}{' '}
          <Link to={urls.operatorSignIn}>Sign in as the operator</Link>
        </p>
      </OperatorFrame>
    );
  }
  return (
    <OperatorFrame title="Accounts" onSignOut={() => void signOut()}>
      <Accounts csrfToken={state.csrfToken} onEnded={session.ended} />
    </OperatorFrame>
  );
}

function Accounts({ csrfToken, onEnded }: { csrfToken: string; onEnded: () => void }) {
  const list = useApiData(
    () => call(api.GET('/v1/admin/accounts', { params: { query: { limit: 100 } } })),
    'list',
  );
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [issued, setIssued] = useState<{ account: string; key: string }>();
  const headers = csrfHeader(csrfToken);
  const rows = list.data?.data ?? [];

  /** Every change: its problem on the page (401: the session is gone), or its message. */
  const settle = <T,>(result: Result<T>, message: string): result is { ok: true; data: T } => {
    setProblem(undefined);
    setDone(undefined);
    if (!result.ok) {
      if (result.problem.status === 401) onEnded();
      setProblem(problemMessage(result.problem));
      return false;
    }
    setDone(message);
    return true;
  };
  const replace = (account: Account) => {
    if (list.data)
      list.set({ ...list.data, data: list.data.data.map((a) => (a.id === account.id ? account : a)) });
  };

  const update = async (
    account: Account,
    body: { plan?: Account['plan']; disabled?: boolean },
    message: string,
  ) => {
    const result = await call(
      api.PATCH('/v1/admin/accounts/{id}', { params: { path: { id: account.id } }, body, headers }),
    );
    if (settle(result, message)) replace(result.data);
  };
  const create = async (name: string, plan: Account['plan']): Promise<ApiProblem | null> => {
    const result = await call(api.POST('/v1/admin/accounts', { body: { name, plan }, headers }));
    if (!settle(result, `Account ${name} created.`)) return result.ok ? null : result.problem;
    list.reload();
    return null;
  };
  const issueKey = async (account: Account, name: string): Promise<ApiProblem | null> => {
    const result = await call(
      api.POST('/v1/admin/accounts/{id}/api-keys', {
        params: { path: { id: account.id } },
        body: { name },
        headers,
      }),
    );
    if (!settle(result, '')) return result.ok ? null : result.problem;
    setIssued({ account: account.name, key: result.data.key });
    list.reload();
    return null;
  };

  return (
    <>
      <div className="operator-columns">
        <CreateAccountCard onCreate={create} />
        <IssueKeyCard accounts={rows} onIssue={issueKey} />
      </div>
      {issued && (
        <ShownOnce
          title={`API key for ${issued.account}`}
          label="API key"
          value={issued.key}
          testId="issued-key"
          note="Shown this once: hand it to the account's owner over a safe channel."
          onDone={() => setIssued(undefined)}
        />
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <p className="success" role="status">
        {done}
      </p>
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading accounts…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title="No accounts yet.">Create the first one above.</EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="accounts-table">
            <caption className="visually-hidden">Accounts of the platform</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Plan</th>
                <th scope="col">Usage</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <AccountRow
                  key={`${a.id}/${a.plan}`}
                  account={a}
                  onPlan={(plan) => update(a, { plan }, `${a.name} is on the ${plan} plan now.`)}
                  onDisabled={(disabled) =>
                    update(a, { disabled }, `${a.name} is ${disabled ? 'disabled' : 'enabled again'}.`)
                  }
                />
              ))}
            </tbody>
          </table>
          {list.data?.nextCursor && <p className="muted small">Showing the first 100 accounts.</p>}
        </div>
      )}
    </>
  );
}
