import { useEffect, useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { useApiData } from '../ui/api-data.store';
import { FormError, SelectField } from '../ui/field.component';
import { LoadError } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { applied, handoffReason, TAKE_OVER_CHOICES } from './conversation.mapper';

/** A pause can end by itself or be changed by a teammate: read it again now and then. */
const POLL_MS = 5_000;
/** The worker applies a request within moments: follow it closely until it shows. */
const WAITING_POLL_MS = 700;

type Action = 'take_over' | 'give_back';

/**
 * Who answers the chat: the bot, or a person who took it over (until when, and why). Taking over
 * and giving back are requests the automation worker applies in order with the chat's messages,
 * so the panel says "taking over…" until the state shows it.
 */
export function HandoffPanel({
  connectionId,
  chatId,
  manage,
  userId,
}: {
  connectionId: string;
  chatId: string;
  manage: boolean;
  userId: string;
}) {
  const path = { path: { id: connectionId, chatId } };
  const state = useApiData(
    () => call(api.GET('/v1/connections/{id}/chats/{chatId}/handoff', { params: path })),
    `${connectionId}/${chatId}`,
  );
  const [waiting, setWaiting] = useState<Action>();
  const [minutes, setMinutes] = useState('60');
  const [errors, setErrors] = useState<FormErrors<'minutes'>>({ fields: {} });
  const [busy, setBusy] = useState(false);

  const { reload } = state;
  useEffect(() => {
    const timer = setInterval(reload, waiting ? WAITING_POLL_MS : POLL_MS);
    return () => clearInterval(timer);
  }, [reload, waiting]);
  useEffect(() => {
    if (waiting && state.data && applied(state.data, waiting)) setWaiting(undefined);
  }, [waiting, state.data]);

  const request = async (action: Action, event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    const result =
      action === 'take_over'
        ? await call(
            api.POST('/v1/connections/{id}/chats/{chatId}/handoff/take-over', {
              params: path,
              body: { minutes: Number(minutes) },
            }),
          )
        : await call(api.POST('/v1/connections/{id}/chats/{chatId}/handoff/give-back', { params: path }));
    setBusy(false);
    if (!result.ok) {
      setErrors(formErrors(result.problem, ['minutes'] as const, { labels: { minutes: 'Pause' } }));
      return;
    }
    setErrors({ fields: {} });
    setWaiting(action);
    reload();
  };

  const current = state.data;
  return (
    <section className="card handoff" aria-labelledby="handoff-title">
      <h2 id="handoff-title">Bot or person</h2>
      {state.problem && !current && <LoadError message={state.problem.message} onRetry={reload} />}
      {!current && !state.problem && <p className="muted">Loading…</p>}
      {current && (
        <div data-testid="handoff-state" data-paused={String(current.paused)} aria-live="polite">
          <p>
            {current.paused ? (
              <span className="badge badge-wait">Bot paused</span>
            ) : (
              <span className="badge badge-ok">Bot active</span>
            )}{' '}
            {handoffReason(current, userId)}
          </p>
          {current.paused && (
            <p>
              The bot stays silent here until <Time iso={current.until} />
              {current.since && (
                <>
                  {' '}
                  (since <Time iso={current.since} />)
                </>
              )}
              , unless given back earlier.
            </p>
          )}
          {waiting && (
            <p className="muted" role="status">
              {waiting === 'take_over' ? 'Taking over…' : 'Giving back to the bot…'}
            </p>
          )}
        </div>
      )}
      <FormError message={errors.form} />
      {manage && current && !current.paused && (
        <form className="inline-row" onSubmit={(e) => void request('take_over', e)} noValidate>
          <SelectField
            id="take-over-minutes"
            label="Pause the bot for"
            value={minutes}
            onChange={setMinutes}
            options={TAKE_OVER_CHOICES}
            error={errors.fields.minutes}
          />
          <button type="submit" className="button button-primary" disabled={busy || !!waiting}>
            Take over
          </button>
        </form>
      )}
      {manage && current?.paused && (
        <div className="actions">
          <button
            type="button"
            className="button"
            onClick={() => void request('give_back')}
            disabled={busy || !!waiting}
          >
            Give back to the bot
          </button>
        </div>
      )}
    </section>
  );
}
