import { useState } from 'react';
import { api, call } from '../api/api.client';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { ConfirmButton } from '../ui/confirm-button.component';
import { FormError } from '../ui/field.component';
import type { Campaign, DryRun } from './campaign.dto';
import { label } from './run-report.mapper';

interface Props {
  campaign: Campaign;
  onChange: (campaign: Campaign) => void;
}

/** Pause, resume, run now, cancel, delete, and a dry run of what a run now would do. */
export function CampaignActions({ campaign, onChange }: Props) {
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [dryRun, setDryRun] = useState<DryRun>();
  const path = { params: { path: { id: campaign.id } } };
  const ended = campaign.state === 'cancelled';

  const act = async (change: 'pause' | 'resume' | 'cancel') => {
    setBusy(true);
    const result =
      change === 'pause'
        ? await call(api.POST('/v1/campaigns/{id}/pause', path))
        : change === 'resume'
          ? await call(api.POST('/v1/campaigns/{id}/resume', path))
          : await call(api.POST('/v1/campaigns/{id}/cancel', path));
    setBusy(false);
    if (result.ok) {
      setProblem(undefined);
      onChange(result.data);
    } else setProblem(result.problem.message);
  };

  const runNow = async () => {
    setBusy(true);
    const result = await call(api.POST('/v1/campaigns/{id}/run-now', path));
    setBusy(false);
    if (result.ok) navigate(urls.campaignRun(campaign.id, result.data.runId));
    else setProblem(result.problem.message);
  };

  const dry = async () => {
    setBusy(true);
    const result = await call(api.POST('/v1/campaigns/{id}/dry-run', path));
    setBusy(false);
    if (result.ok) {
      setProblem(undefined);
      setDryRun(result.data);
    } else setProblem(result.problem.message);
  };

  const remove = async () => {
    const result = await call(api.DELETE('/v1/campaigns/{id}', path));
    if (result.ok) navigate(urls.campaigns);
    else setProblem(result.problem.message);
  };

  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Controls</h2>
      <FormError message={problem} />
      <div className="actions">
        {!ended && (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => void runNow()}
          >
            Run now
          </button>
        )}
        <button type="button" className="button" disabled={busy} onClick={() => void dry()}>
          Dry run
        </button>
        {campaign.state === 'active' && (
          <button type="button" className="button" disabled={busy} onClick={() => void act('pause')}>
            Pause
          </button>
        )}
        {campaign.state === 'paused' && (
          <button type="button" className="button" disabled={busy} onClick={() => void act('resume')}>
            Resume
          </button>
        )}
        {!ended && (
          <ConfirmButton
            label="Cancel campaign"
            title="Cancel this campaign?"
            confirmLabel="Cancel it for good"
            onConfirm={() => act('cancel')}
          >
            <p>It never runs again and cannot be resumed or changed. Runs under way finish.</p>
          </ConfirmButton>
        )}
        <ConfirmButton
          label="Delete campaign"
          title="Delete this campaign?"
          confirmLabel="Delete"
          onConfirm={remove}
        >
          <p>The campaign and its schedule are removed; this cannot be undone.</p>
        </ConfirmButton>
      </div>
      {dryRun && <DryRunResult result={dryRun} />}
    </section>
  );
}

function DryRunResult({ result }: { result: DryRun }) {
  const skipped = Object.entries(result.skipped);
  return (
    <div className="dry-run" data-testid="dry-run" aria-live="polite">
      <h3>Dry run: a run starting now</h3>
      <dl className="facts">
        <dt>Targeted</dt>
        <dd data-testid="dry-run-targeted">{result.targeted}</dd>
        <dt>Would be sent</dt>
        <dd data-testid="dry-run-pending">{result.pending}</dd>
        <dt>Skipped</dt>
        <dd>
          {skipped.length === 0 ? 'None' : skipped.map(([reason, n]) => `${label(reason)}: ${n}`).join(', ')}
        </dd>
      </dl>
      {result.samples.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>The first recipients and what they would get</caption>
            <thead>
              <tr>
                <th scope="col">Phone</th>
                <th scope="col">Would be</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {result.samples.map((s) => (
                <tr key={s.contactId}>
                  <th scope="row">{s.phone || s.contactId}</th>
                  <td>{s.status === 'pending' ? 'Sent' : `Skipped: ${label(s.reason ?? 'unknown')}`}</td>
                  <td className="message-text">{s.text ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
