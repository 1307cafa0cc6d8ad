import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { StateBadge } from './webhook-badge.component';
import './webhooks.css';

/** The account's webhook endpoints: where events go, which ones, and whether they are on. */
export function WebhooksPage() {
  const user = useUser();
  const manage = can(user.role, 'webhooks.manage');
  const list = useApiData(() => call(api.GET('/v1/webhooks', { params: { query: { limit: 100 } } })), 'list');
  const rows = list.data?.data ?? [];
  return (
    <Page
      title="Webhooks"
      actions={
        manage ? (
          <Link to={urls.webhook('new')} className="button button-primary">
            New endpoint
          </Link>
        ) : undefined
      }
    >
      <p className="lead">
        Your servers get the account&apos;s events as signed HTTP requests. Each endpoint lists its deliveries
        and every attempt.
      </p>
      {!manage && (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see webhooks but not create or change them.
        </p>
      )}
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading endpoints…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title="No webhook endpoints yet.">
          {manage
            ? 'Create one to receive events on your server.'
            : 'An admin of your account can create one.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="webhooks-table">
            <caption className="visually-hidden">Webhook endpoints of your account</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <tr key={w.id} data-webhook-id={w.id}>
                  <th scope="row" className="webhook-url">
                    <Link to={urls.webhook(w.id)}>{w.url}</Link>
                    {w.description && (
                      <span className="muted small webhook-description">{w.description}</span>
                    )}
                  </th>
                  <td>
                    <code>{w.events.join(', ')}</code>
                  </td>
                  <td>
                    <StateBadge state={w.status} />
                  </td>
                  <td>
                    <Time iso={w.createdAt} />
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
