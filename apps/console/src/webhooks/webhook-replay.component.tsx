import { useEffect, useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { viewerTimeZone } from '../ui/format.mapper';
import { Field, FormError } from '../ui/field.component';
import {
  replayProgress,
  replayWindow,
  toLocalInput,
  type ReplayField,
  type ReplayJob,
} from './webhook-view.mapper';

const POLL_MS = 1_000;
const HOUR = 3_600_000;

/** Re-send every event of a time window that the endpoint matches now, and follow the job. */
export function WebhookReplay({ id, onProgress }: { id: string; onProgress: () => void }) {
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - HOUR)));
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<{ fields: Partial<Record<ReplayField, string>>; form?: string }>({
    fields: {},
  });
  const [job, setJob] = useState<ReplayJob>();
  const [busy, setBusy] = useState(false);

  const running = job && !job.done ? job.jobId : undefined;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      void call(
        api.GET('/v1/webhooks/{id}/replays/{jobId}', { params: { path: { id, jobId: running } } }),
      ).then((result) => {
        if (!result.ok) return;
        setJob(result.data);
        if (result.data.done) onProgress();
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [id, running, onProgress]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const range = replayWindow(since, until, new Date());
    if (!range.ok) return setErrors({ fields: { [range.field]: range.message } });
    setBusy(true);
    const result = await call(
      api.POST('/v1/webhooks/{id}/replay', {
        params: { path: { id } },
        body: { since: range.since, ...(range.until ? { until: range.until } : {}) },
      }),
    );
    setBusy(false);
    if (!result.ok) {
      const field = result.problem.code === 'invalid_replay_window' ? 'since' : undefined;
      const message = problemMessage(result.problem);
      return setErrors(field ? { fields: { [field]: message } } : { fields: {}, form: message });
    }
    setErrors({ fields: {} });
    setJob(result.data);
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="replay-title">
      <h2 id="replay-title">Replay a time range</h2>
      <p className="muted small">
        Every event of the window that this endpoint matches now is sent again as a new delivery. Times in
        your time zone ({viewerTimeZone()}).
      </p>
      <FormError message={errors.form} />
      <div className="inline-row">
        <Field
          id="replay-since"
          label="From"
          type="datetime-local"
          required
          value={since}
          onChange={setSince}
          error={errors.fields.since}
        />
        <Field
          id="replay-until"
          label="To (empty: now)"
          type="datetime-local"
          value={until}
          onChange={setUntil}
          error={errors.fields.until}
        />
        <button type="submit" className="button" disabled={busy || Boolean(running)}>
          {busy ? 'Starting…' : 'Replay'}
        </button>
      </div>
      <p className="success" role="status" data-testid="replay-progress">
        {job ? replayProgress(job) : ''}
      </p>
    </form>
  );
}
