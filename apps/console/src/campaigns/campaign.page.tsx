import { useMemo, useState } from 'react';
import { api, call, type Result } from '../api/api.client';
import type { Connection } from '../api/api.dto';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { viewerTimeZone } from '../ui/format.mapper';
import { LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { campaignAnalytics } from './analytics.client';
import { CampaignActions } from './campaign-actions.component';
import { CampaignEditor } from './campaign-editor.component';
import { campaignForm, newCampaignForm } from './campaign-form.mapper';
import { CampaignRuns } from './campaign-runs.component';
import type { Campaign, Contact, Template } from './campaign.dto';
import { DailyChart } from './run-charts.component';
import { analyticsRange, campaignTone, label } from './run-report.mapper';
import './campaigns.css';

interface Choices {
  templates: Template[];
  connections: Connection[];
  contacts: Contact[];
}

/** What the editor offers to pick from; contacts are a convenience (tags work without them). */
async function loadChoices(): Promise<Result<Choices>> {
  const [templates, connections, contacts] = await Promise.all([
    call(api.GET('/v1/templates', { params: { query: { limit: 100 } } })),
    call(api.GET('/v1/connections', { params: { query: { limit: 100 } } })),
    call(api.GET('/v1/contacts', { params: { query: { limit: 200 } } })),
  ]);
  if (!templates.ok) return templates;
  if (!connections.ok) return connections;
  return {
    ok: true,
    data: {
      templates: templates.data.data,
      connections: connections.data.data,
      contacts: contacts.ok ? contacts.data.data : [],
    },
  };
}

/** One campaign (or a new one, id `new`): its settings, controls, runs and report. */
export function CampaignPage({ id }: { id: string }) {
  const creating = id === 'new';
  const user = useUser();
  const manage = can(user.role, 'campaigns.manage');
  const choices = useApiData(loadChoices, 'choices');
  const loaded = useApiData<Campaign | null>(
    () =>
      creating
        ? Promise.resolve({ ok: true, data: null })
        : call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })),
    id,
  );
  const [runsVersion, setRunsVersion] = useState(0);
  const campaign = loaded.data ?? undefined;
  const initial = useMemo(() => {
    if (!choices.data || loaded.data === undefined) return undefined;
    const now = new Date();
    if (!loaded.data) return newCampaignForm(viewerTimeZone(), now);
    const template = choices.data.templates.find((t) => t.id === loaded.data!.templateId);
    return campaignForm(loaded.data, template?.variables ?? [], now);
    // The form starts from what was loaded once; later saves keep what the user typed.
  }, [choices.data !== undefined, loaded.data !== undefined]);

  const problem = loaded.problem ?? choices.problem;
  if (!initial) {
    const message =
      loaded.problem?.status === 404 ? 'There is no such campaign in your account.' : problem?.message;
    return (
      <Page title="Campaign">
        {problem ? (
          <LoadError
            message={message!}
            onRetry={() => (loaded.problem ? loaded.reload() : choices.reload())}
          />
        ) : (
          <p className="muted">Loading…</p>
        )}
        <p>
          <Link to={urls.campaigns}>Back to campaigns</Link>
        </p>
      </Page>
    );
  }
  if (creating && !manage) {
    return (
      <Page title="New campaign">
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see campaigns but not create them.
        </p>
      </Page>
    );
  }

  return (
    <Page title={campaign ? campaign.name : 'New campaign'}>
      <p className="breadcrumb">
        <Link to={urls.campaigns}>Campaigns</Link> / {campaign ? campaign.name : 'New'}
      </p>
      {campaign && (
        <section className="card" aria-labelledby="state-title">
          <h2 id="state-title">Status</h2>
          <dl className="facts">
            <dt>State</dt>
            <dd data-testid="campaign-state">
              <span className={`badge badge-${campaignTone(campaign.state)}`}>
                <span className="badge-dot" aria-hidden="true" />
                {label(campaign.state)}
              </span>
            </dd>
            <dt>Next run</dt>
            <dd data-testid="campaign-next-run">
              <Time iso={campaign.nextRunAt} />
            </dd>
            <dt>Changed</dt>
            <dd>
              <Time iso={campaign.updatedAt} />
            </dd>
          </dl>
          <p className="muted small">Times in your time zone ({viewerTimeZone()}).</p>
        </section>
      )}
      {!manage && (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see this campaign but not change or run it.
        </p>
      )}
      {campaign && manage && (
        <CampaignActions
          campaign={campaign}
          onChange={(c) => {
            loaded.set(c);
            setRunsVersion((v) => v + 1);
          }}
        />
      )}
      <CampaignEditor
        campaign={campaign}
        initial={initial}
        templates={choices.data!.templates}
        connections={choices.data!.connections}
        contacts={choices.data!.contacts}
        readOnly={!manage || campaign?.state === 'cancelled'}
        onSaved={(c) => {
          if (creating) navigate(urls.campaign(c.id), { replace: true });
          else loaded.set(c);
        }}
      />
      {campaign && <CampaignRuns campaignId={campaign.id} version={runsVersion} />}
      {campaign && <CampaignReport campaign={campaign} />}
    </Page>
  );
}

/** Every run of the campaign together, per day over the last 30 days. */
function CampaignReport({ campaign }: { campaign: Campaign }) {
  const report = useApiData(() => {
    const query = analyticsRange(campaign.createdAt, new Date(), viewerTimeZone(), 30);
    return campaignAnalytics(campaign.id, query);
  }, campaign.id);
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">Report</h2>
      {report.problem && !report.data && (
        <LoadError message={report.problem.message} onRetry={report.reload} />
      )}
      {report.loading && !report.data && <p className="muted">Loading the report…</p>}
      {report.data && <DailyChart report={report.data} testId="campaign-daily" />}
    </section>
  );
}
