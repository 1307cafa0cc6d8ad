import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { viewerTimeZone } from '../ui/format.mapper';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import type { Campaign } from './campaign.dto';
import { campaignTone, label } from './run-report.mapper';
import './campaigns.css';

/** The account's campaigns with their state, next run and last run. */
export function CampaignsPage() {
  const user = useUser();
  const manage = can(user.role, 'campaigns.manage');
  const list = useApiData(
    () => call(api.GET('/v1/campaigns', { params: { query: { limit: 100 } } })),
    'list',
  );
  const rows = list.data?.data ?? [];
  return (
    <Page
      title="Campaigns"
      actions={
        manage ? (
          <Link className="button button-primary" to={urls.campaign('new')}>
            New campaign
          </Link>
        ) : undefined
      }
    >
      <p className="lead">A template sent to an audience on a schedule, paced per connection.</p>
      {!manage && (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see campaigns and their reports but not create, change or run
          them.
        </p>
      )}
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading campaigns…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title="No campaigns yet.">
          {manage
            ? 'Create one with "New campaign".'
            : 'Someone with the marketing or admin role can create one.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="campaigns-table">
              <caption className="visually-hidden">Campaigns of your account, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">State</th>
                  <th scope="col">Next run</th>
                  <th scope="col">Last run</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <CampaignRow key={c.id} campaign={c} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">Times in your time zone ({viewerTimeZone()}).</p>
        </>
      )}
    </Page>
  );
}

function CampaignRow({ campaign }: { campaign: Campaign }) {
  const run = campaign.lastRun;
  return (
    <tr data-campaign-id={campaign.id}>
      <th scope="row">
        <Link to={urls.campaign(campaign.id)}>{campaign.name}</Link>
      </th>
      <td>
        <span className={`badge badge-${campaignTone(campaign.state)}`}>
          <span className="badge-dot" aria-hidden="true" />
          {label(campaign.state)}
        </span>
      </td>
      <td>
        <Time iso={campaign.nextRunAt} />
      </td>
      <td>
        {run ? (
          <Link to={urls.campaignRun(campaign.id, run.id)}>
            <Time iso={run.occurrence} /> · {label(run.state)}
          </Link>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
    </tr>
  );
}
