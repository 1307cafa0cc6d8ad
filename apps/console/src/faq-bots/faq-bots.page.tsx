import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { CreateBotForm } from './faq-bot-forms.component';
import { modeLabel } from './faq-bot.mapper';
import './faq-bots.css';

/** The account's FAQ bots, and a form to start one. */
export function FaqBotsPage() {
  const user = useUser();
  const manage = can(user.role, 'faq-bots.manage');
  const bots = useApiData(() => call(api.GET('/v1/faq-bots', { params: { query: { limit: 100 } } })), 'bots');
  const rows = bots.data?.data ?? [];
  return (
    <Page title="FAQ bots">
      <p className="lead">
        Bots answer common questions from a list of entries, and show what they could not answer.
      </p>
      {manage ? (
        <CreateBotForm />
      ) : (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see the bots but not change them.
        </p>
      )}
      {bots.problem && !bots.data && <LoadError message={bots.problem.message} onRetry={bots.reload} />}
      {bots.loading && !bots.data && <p className="muted">Loading bots…</p>}
      {bots.data && rows.length === 0 && (
        <EmptyState title="No FAQ bots yet.">
          {manage ? 'Create one above.' : 'An admin or a support agent can create one.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="bots-table">
            <caption className="visually-hidden">FAQ bots of your account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Answers</th>
                <th scope="col">Entries</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link to={urls.faqBot(b.id)}>{b.name}</Link>
                  </th>
                  <td>
                    {b.enabled ? (
                      <span className="badge badge-ok">Enabled</span>
                    ) : (
                      <span className="badge badge-off">Disabled</span>
                    )}
                  </td>
                  <td>{modeLabel(b.mode)}</td>
                  <td>{b.entryCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
