import { useEffect, useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import type { Connection } from '../api/api.dto';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { useConnectionEvents } from '../connections/connection-events.client';
import { applyEvent } from '../connections/connection-status.mapper';
import { StatusBadge } from '../connections/status-badge.component';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { Field, FormError } from '../ui/field.component';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';

/**
 * Rows followed live over their own event stream. Streams count against a per-user limit of a
 * few per API process and the plan's sseStreams, so the rest of the list is read again on a timer.
 */
const LIVE_ROWS = 3;
const POLL_MS = 10_000;

export function ConnectionsPage() {
  const user = useUser();
  const manage = can(user.role, 'connections.manage');
  const list = useApiData(
    () => call(api.GET('/v1/connections', { params: { query: { limit: 100 } } })),
    'list',
  );
  const { reload } = list;

  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const rows = list.data?.data ?? [];
  return (
    <Page title="Connections">
      <p className="lead">WhatsApp phones linked to your account, with their status as it changes.</p>
      {manage ? (
        <CreateConnection />
      ) : (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can see connections but not create or change them.
        </p>
      )}
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading connections…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title="No connections yet.">
          {manage ? 'Create one above to link a WhatsApp phone.' : 'An admin of your account can create one.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="connections-table">
            <caption className="visually-hidden">Connections of your account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Phone</th>
                <th scope="col">Driver</th>
                <th scope="col">Status since</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c, i) => (
                <ConnectionRow key={c.id} connection={c} live={i < LIVE_ROWS} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function ConnectionRow({ connection, live }: { connection: Connection; live: boolean }) {
  const [current, setCurrent] = useState(connection);
  useEffect(() => setCurrent(connection), [connection]);
  useConnectionEvents(live ? connection.id : null, {
    onSnapshot: setCurrent,
    onEvent: (event) => setCurrent((c) => applyEvent(c, event)),
  });
  return (
    <tr data-connection-id={current.id}>
      <th scope="row">
        <Link to={urls.connection(current.id)}>{current.name}</Link>
      </th>
      <td>
        <StatusBadge status={current.status} />
      </td>
      <td>{current.phoneNumber ? `+${current.phoneNumber}` : <span className="muted">Not linked</span>}</td>
      <td>{current.driver}</td>
      <td>
        <Time iso={current.statusAt} />
      </td>
    </tr>
  );
}

function CreateConnection() {
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors<'name'>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await call(api.POST('/v1/connections', { body: { name: name.trim() } }));
    setBusy(false);
    if (!result.ok) {
      // What was typed stays in the field, to fix or send again.
      setErrors(formErrors(result.problem, ['name'] as const));
      return;
    }
    navigate(urls.connection(result.data.id));
  };
  return (
    <form
      className="card inline-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="create-title"
    >
      <h2 id="create-title">New connection</h2>
      <FormError message={errors.form} />
      <div className="inline-row">
        <Field
          id="connection-name"
          label="Name"
          hint="For you and your team, e.g. Support line."
          required
          maxLength={100}
          value={name}
          onChange={setName}
          error={errors.fields.name}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create connection'}
        </button>
      </div>
    </form>
  );
}
