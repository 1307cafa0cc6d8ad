import { useState } from 'react';
import { api, call } from '../api/api.client';
import { ShownOnce } from '../api-keys/shown-once.component';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { ConfirmButton } from '../ui/confirm-button.component';
import { Time } from '../ui/time.component';

interface Props {
  id: string;
  enabled: boolean;
  /** A test event was queued: the deliveries list should look again. */
  onTestSent: () => void;
}

/** Send a test event, rotate the signing secret (shown once), delete the endpoint. */
export function WebhookActions({ id, enabled, onTestSent }: Props) {
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [secret, setSecret] = useState<{ secret: string; previousSecretExpiresAt: string }>();
  const path = { params: { path: { id } } };

  const start = () => {
    setProblem(undefined);
    setDone(undefined);
  };
  const sendTest = async () => {
    start();
    const result = await call(api.POST('/v1/webhooks/{id}/test', path));
    if (!result.ok) return setProblem(problemMessage(result.problem));
    setDone('Test event sent. Its delivery shows below in a moment.');
    onTestSent();
  };
  const rotate = async () => {
    start();
    const result = await call(api.POST('/v1/webhooks/{id}/rotate-secret', path));
    if (!result.ok) return setProblem(problemMessage(result.problem));
    setSecret(result.data);
  };
  const remove = async () => {
    start();
    const result = await call(api.DELETE('/v1/webhooks/{id}', path));
    if (!result.ok) return setProblem(problemMessage(result.problem));
    navigate(urls.webhooks);
  };

  return (
    <section className="card" aria-labelledby="webhook-actions-title">
      <h2 id="webhook-actions-title">Manage</h2>
      <div className="actions" role="group" aria-label="Endpoint actions">
        <button
          type="button"
          className="button"
          onClick={() => void sendTest()}
          disabled={!enabled}
          aria-describedby={enabled ? undefined : 'webhook-test-off'}
        >
          Send test event
        </button>
        <ConfirmButton
          label="Rotate secret"
          title="Rotate the signing secret?"
          confirmLabel="Rotate secret"
          onConfirm={rotate}
        >
          <p>
            A new secret signs every delivery from now on. The current one keeps signing too for 24 hours, so
            that your server can switch over.
          </p>
        </ConfirmButton>
        <ConfirmButton
          label="Delete endpoint"
          className="button button-danger"
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          onConfirm={remove}
        >
          <p>Its pending deliveries are dropped. This cannot be undone.</p>
        </ConfirmButton>
      </div>
      {!enabled && (
        <p id="webhook-test-off" className="muted small">
          Enable the endpoint to send it a test event.
        </p>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <p className="success" role="status">
        {done}
      </p>
      {secret && (
        <ShownOnce
          title="New signing secret"
          label="Signing secret"
          value={secret.secret}
          testId="rotated-secret"
          note="Shown this once: store it with your server now."
          onDone={() => setSecret(undefined)}
        />
      )}
      {secret && (
        <p className="muted small">
          The previous secret stops signing <Time iso={secret.previousSecretExpiresAt} />.
        </p>
      )}
    </section>
  );
}
