import { useCallback, useState } from 'react';
import { api, call } from '../api/api.client';
import { ShownOnce } from '../api-keys/shown-once.component';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { WebhookActions } from './webhook-actions.component';
import { StateBadge } from './webhook-badge.component';
import { WebhookDeliveries } from './webhook-deliveries.component';
import { WebhookFormCard } from './webhook-form.component';
import { createBody, EMPTY_WEBHOOK_FORM, formOf, updateBody, type Webhook } from './webhook-form.mapper';
import { WebhookReplay } from './webhook-replay.component';
import { WebhookStatsCard } from './webhook-stats.component';
import './webhooks.css';

/** One endpoint (`new`: create one). */
export function WebhookPage({ id }: { id: string }) {
  return id === 'new' ? <NewWebhook /> : <ExistingWebhook id={id} />;
}

const Crumb = ({ here }: { here: string }) => (
  <p className="breadcrumb">
    <Link to={urls.webhooks}>Webhooks</Link> / {here}
  </p>
);

function NewWebhook() {
  const user = useUser();
  const [created, setCreated] = useState<{ id: string; secret: string }>();
  if (!can(user.role, 'webhooks.manage')) {
    return (
      <Page title="New webhook endpoint">
        <Crumb here="New" />
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see webhooks but not create them.
        </p>
      </Page>
    );
  }
  return (
    <Page title="New webhook endpoint">
      <Crumb here="New" />
      {created ? (
        <>
          <ShownOnce
            title="Endpoint created: its signing secret"
            label="Signing secret"
            value={created.secret}
            testId="webhook-secret"
            note="Shown this once. Your server verifies each delivery's webhook-signature with it."
            onDone={() => navigate(urls.webhook(created.id))}
          />
          <p>
            <Link to={urls.webhook(created.id)}>Open the endpoint</Link>
          </p>
        </>
      ) : (
        <WebhookFormCard
          title="Endpoint"
          initial={EMPTY_WEBHOOK_FORM}
          submitLabel="Create endpoint"
          withEnabled={false}
          save={async (form) => {
            const result = await call(api.POST('/v1/webhooks', { body: createBody(form) }));
            if (result.ok) setCreated({ id: result.data.id, secret: result.data.secret });
            return result;
          }}
          onSaved={() => undefined}
        />
      )}
    </Page>
  );
}

function ExistingWebhook({ id }: { id: string }) {
  const user = useUser();
  const manage = can(user.role, 'webhooks.manage');
  const loaded = useApiData(() => call(api.GET('/v1/webhooks/{id}', { params: { path: { id } } })), id);
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  const webhook = loaded.data;
  if (!webhook) {
    const message =
      loaded.problem?.status === 404
        ? 'There is no such webhook endpoint in your account.'
        : loaded.problem?.message;
    return (
      <Page title="Webhook endpoint">
        <Crumb here="Endpoint" />
        {message ? (
          <LoadError message={message} onRetry={loaded.reload} />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </Page>
    );
  }

  const save = async (form: Parameters<typeof updateBody>[0]) => {
    const result = await call(
      api.PATCH('/v1/webhooks/{id}', { params: { path: { id } }, body: updateBody(form) }),
    );
    if (result.ok) loaded.set(result.data);
    return result;
  };

  return (
    <Page title="Webhook endpoint">
      <Crumb here={webhook.url} />
      <Summary webhook={webhook} />
      {manage ? (
        <div className="webhook-columns">
          <WebhookFormCard
            title="Settings"
            initial={formOf(webhook)}
            submitLabel="Save changes"
            withEnabled
            save={save}
            onSaved={bump}
          />
          <WebhookActions id={id} enabled={webhook.status === 'enabled'} onTestSent={bump} />
        </div>
      ) : (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see this endpoint and its deliveries but not change them.
        </p>
      )}
      <WebhookStatsCard id={id} version={version} />
      <WebhookDeliveries id={id} manage={manage} version={version} />
      {manage && <WebhookReplay id={id} onProgress={bump} />}
    </Page>
  );
}

function Summary({ webhook }: { webhook: Webhook }) {
  return (
    <section className="card" aria-labelledby="summary-title">
      <h2 id="summary-title">Endpoint</h2>
      <dl className="facts">
        <dt>URL</dt>
        <dd className="webhook-url" data-testid="webhook-url">
          {webhook.url}
        </dd>
        <dt>Status</dt>
        <dd>
          <StateBadge state={webhook.status} />
          {webhook.disabled && (
            <span className="muted small">
              {' '}
              {webhook.disabled.reason === 'manual'
                ? 'turned off'
                : webhook.disabled.reason === 'gone'
                  ? 'the server answered 410 Gone'
                  : 'deliveries kept failing'}{' '}
              (<Time iso={webhook.disabled.disabledAt} />)
            </span>
          )}
        </dd>
        <dt>Events</dt>
        <dd>
          <code>{webhook.events.join(', ')}</code>
        </dd>
        <dt>Connections</dt>
        <dd>{webhook.connectionIds.length ? webhook.connectionIds.join(', ') : 'All of the account'}</dd>
        {Object.keys(webhook.headers).length > 0 && (
          <>
            <dt>Custom headers</dt>
            <dd>{Object.keys(webhook.headers).join(', ')}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <Time iso={webhook.createdAt} />
        </dd>
      </dl>
    </section>
  );
}
