import { useEffect, useState } from 'react';
import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { useApiData } from '../ui/api-data.store';
import { formatCount, viewerTimeZone } from '../ui/format.mapper';
import { LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { runAnalytics } from './analytics.client';
import type { RunReport } from './campaign.dto';
import { DailyChart, FunnelChart } from './run-charts.component';
import { useRunProgress, type ProgressMode } from './run-progress.store';
import { RunRecipients } from './run-recipients.component';
import {
  analyticsRange,
  funnelOf,
  handledShare,
  isRunOver,
  label,
  runTone,
  type RunProgress,
} from './run-report.mapper';
import './campaigns.css';

/** Statuses and analytics settle for a while after a run ends (late acks, replies): read them again. */
const SETTLE_MS = 5_000;
const SETTLE_ROUNDS = 6;

/** A run of a campaign: its progress live, its report with charts, its recipients. */
export function CampaignRunPage({ id, runId }: { id: string; runId: string }) {
  const campaign = useApiData(() => call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })), id);
  const { progress, mode } = useRunProgress(id, runId);
  const state = progress?.state ?? '';
  const [version, setVersion] = useState(0);

  useEffect(() => setVersion((v) => v + 1), [state]);
  useEffect(() => {
    if (mode !== 'ended') return;
    let rounds = 0;
    const timer = setInterval(() => {
      setVersion((v) => v + 1);
      if (++rounds >= SETTLE_ROUNDS) clearInterval(timer);
    }, SETTLE_MS);
    return () => clearInterval(timer);
  }, [mode]);

  const report = useApiData(
    () => call(api.GET('/v1/campaigns/{id}/runs/{runId}', { params: { path: { id, runId } } })),
    `${id}/${runId}/${version}`,
  );
  const analytics = useApiData(
    () => {
      const query = analyticsRange(report.data?.createdAt ?? '', new Date(), viewerTimeZone());
      return runAnalytics(id, runId, query);
    },
    `${id}/${runId}/${version}/${report.data ? 'dated' : ''}`,
  );

  const name = campaign.data?.name ?? 'Campaign';
  if (report.problem && !report.data) {
    const message =
      report.problem.status === 404 ? 'There is no such run in your account.' : report.problem.message;
    return (
      <Page title="Campaign run">
        <LoadError message={message} onRetry={report.reload} />
        <p>
          <Link to={urls.campaigns}>Back to campaigns</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={`Run of ${name}`}>
      <p className="breadcrumb">
        <Link to={urls.campaigns}>Campaigns</Link> / <Link to={urls.campaign(id)}>{name}</Link> / Run
      </p>
      <ProgressCard progress={progress} mode={mode} report={report.data} />
      <section className="card" aria-labelledby="report-title">
        <h2 id="report-title">Report</h2>
        {!report.data && <p className="muted">Loading the report…</p>}
        {report.data && <ReportFacts report={report.data} />}
        {report.data && (
          <FunnelChart
            steps={funnelOf(report.data, analytics.data ? analytics.data.totals.replied : null)}
            testId="run-funnel"
          />
        )}
        {analytics.problem && !analytics.data && (
          <p className="muted">The daily figures could not be read: {analytics.problem.message}</p>
        )}
        {analytics.data && <DailyChart report={analytics.data} testId="run-daily" />}
      </section>
      <RunRecipients campaignId={id} runId={runId} version={version} />
    </Page>
  );
}

const MODE_TEXT: Readonly<Record<ProgressMode, string>> = {
  connecting: 'Connecting to live progress…',
  live: 'Updates live, every 2 seconds.',
  polling: 'Updated every 2 seconds.',
  ended: 'The run is over.',
};

function ProgressCard({
  progress,
  mode,
  report,
}: {
  progress: RunProgress | undefined;
  mode: ProgressMode;
  report: RunReport | undefined;
}) {
  const state = progress?.state ?? report?.state ?? 'planning';
  const share = progress ? handledShare(progress) : 0;
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      <div aria-live="polite">
        <p data-testid="run-state">
          <span className={`badge badge-${runTone(state)}`} data-state={state}>
            <span className="badge-dot" aria-hidden="true" />
            {label(state)}
          </span>
        </p>
        <progress
          className="run-progress"
          max={1}
          value={share}
          aria-label={`Recipients handled: ${Math.round(share * 100)}%`}
        />
        {progress && (
          <dl className="facts progress-facts">
            <dt>Targeted</dt>
            <dd data-testid="progress-targeted">{formatCount(progress.targeted)}</dd>
            <dt>Sent</dt>
            <dd data-testid="progress-sent">{formatCount(progress.sent)}</dd>
            <dt>Skipped</dt>
            <dd>{formatCount(progress.skipped)}</dd>
            <dt>Failed</dt>
            <dd>{formatCount(progress.failed)}</dd>
            <dt>Remaining</dt>
            <dd>{formatCount(progress.remaining)}</dd>
          </dl>
        )}
      </div>
      <p className="muted small">{isRunOver(state) ? MODE_TEXT.ended : MODE_TEXT[mode]}</p>
    </section>
  );
}

function ReportFacts({ report }: { report: RunReport }) {
  const reasons = (by: Record<string, number>) =>
    Object.entries(by)
      .map(([reason, n]) => `${label(reason)}: ${n}`)
      .join(', ') || 'None';
  return (
    <dl className="facts">
      <dt>Occurrence</dt>
      <dd>
        <Time iso={report.occurrence} /> ({label(report.kind)})
      </dd>
      <dt>Planned</dt>
      <dd>
        <Time iso={report.plannedAt} />
      </dd>
      <dt>Completed</dt>
      <dd>
        <Time iso={report.completedAt} />
      </dd>
      <dt>Skipped</dt>
      <dd>{reasons(report.skipped)}</dd>
      <dt>Failed</dt>
      <dd>{reasons(report.failed)}</dd>
    </dl>
  );
}
