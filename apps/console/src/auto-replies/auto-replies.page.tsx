import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { actionSummary, ruleSummary, type Json } from './rule-form.mapper';
import './auto-replies.css';

/** The account's auto-reply rules in the order they are tried. */
export function AutoRepliesPage() {
  const user = useUser();
  const manage = can(user.role, 'auto-replies.manage');
  const rules = useApiData(
    () => call(api.GET('/v1/auto-replies', { params: { query: { limit: 100 } } })),
    'rules',
  );
  const rows = rules.data?.data ?? [];
  return (
    <Page
      title="Auto-replies"
      actions={
        manage && (
          <Link to={urls.autoReply('new')} className="button button-primary">
            New rule
          </Link>
        )
      }
    >
      <p className="lead">
        Rules answer inbound messages by themselves. They are tried by priority (lowest first); a match of a
        rule that stops the evaluation ends it.
      </p>
      {!manage && (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see the rules but not change them.
        </p>
      )}
      {rules.problem && !rules.data && <LoadError message={rules.problem.message} onRetry={rules.reload} />}
      {rules.loading && !rules.data && <p className="muted">Loading rules…</p>}
      {rules.data && rows.length === 0 && (
        <EmptyState title="No rules yet.">
          {manage ? 'Create one with New rule.' : 'An admin or a support agent can create one.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="rules-table">
            <caption className="visually-hidden">Auto-reply rules, in evaluation order</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Priority</th>
                <th scope="col">When</th>
                <th scope="col">Then</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-rule-id={r.id}>
                  <th scope="row">
                    <Link to={urls.autoReply(r.id)}>{r.name}</Link>
                  </th>
                  <td>
                    {r.enabled ? (
                      <span className="badge badge-ok">Enabled</span>
                    ) : (
                      <span className="badge badge-off">Disabled</span>
                    )}
                  </td>
                  <td>{r.priority}</td>
                  <td className="rule-summary">{ruleSummary(r.conditions)}</td>
                  <td className="rule-summary">
                    {r.actions.map((a) => actionSummary(a as Json)).join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
