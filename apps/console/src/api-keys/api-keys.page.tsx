import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { can } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { ConfirmButton } from '../ui/confirm-button.component';
import { Field, FormError } from '../ui/field.component';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { AdminOnly } from './admin-only.component';
import { problemMessage } from './plan-limit.mapper';
import { ShownOnce } from './shown-once.component';
import './api-keys.css';

/** The account's API keys (admins only): create one (shown once), revoke one. */
export function ApiKeysPage() {
  const user = useUser();
  if (!can(user.role, 'api-keys.manage'))
    return <AdminOnly title="API keys" what="API keys" role={user.role} />;
  return <ApiKeys />;
}

function ApiKeys() {
  const list = useApiData(() => call(api.GET('/v1/api-keys', { params: { query: { limit: 100 } } })), 'list');
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const rows = list.data?.data ?? [];

  const revoke = async (id: string, name: string) => {
    setProblem(undefined);
    setDone(undefined);
    const result = await call(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } }));
    if (!result.ok) return setProblem(problemMessage(result.problem));
    // Gone from the list at once, not after the reload answers: the message and the list agree.
    if (list.data) list.set({ ...list.data, data: list.data.data.filter((k) => k.id !== id) });
    setDone(`Revoked ${name}. Requests with it are refused from now on.`);
    list.reload();
  };

  return (
    <Page title="API keys">
      <p className="lead">
        Keys let your own software call the API for this account. Treat them like passwords.
      </p>
      <CreateKey
        onCreated={(key) => {
          setCreated(key);
          list.reload();
        }}
      />
      {created && (
        <ShownOnce
          title={`Key created: ${created.name}`}
          label="API key"
          value={created.key}
          testId="created-key"
          note="Shown this once: only a hash is kept. Store it in your software's secrets now."
          onDone={() => setCreated(undefined)}
        />
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <p className="success" role="status">
        {done}
      </p>
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading keys…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title="No API keys.">Create one above for your integration.</EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="api-keys-table">
            <caption className="visually-hidden">API keys of your account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Connections</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => (
                <tr key={k.id} data-key-id={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{k.connectionIds ? k.connectionIds.join(', ') : 'All'}</td>
                  <td>
                    <Time iso={k.createdAt} />
                  </td>
                  <td>
                    <Time iso={k.lastUsedAt} />
                  </td>
                  <td>
                    <ConfirmButton
                      label="Revoke"
                      context={`${k.name} (${k.prefix})`}
                      className="button button-danger"
                      title={`Revoke ${k.name}?`}
                      confirmLabel="Revoke key"
                      onConfirm={() => revoke(k.id, k.name)}
                    >
                      <p>Every request made with this key is refused at once. This cannot be undone.</p>
                    </ConfirmButton>
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

function CreateKey({ onCreated }: { onCreated: (key: { name: string; key: string }) => void }) {
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors<'name'>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await call(api.POST('/v1/api-keys', { body: { name: name.trim() } }));
    setBusy(false);
    if (!result.ok) {
      const placed = formErrors(result.problem, ['name'] as const, { labels: { name: 'Name' } });
      // A plan limit is the form's: say which plan and how many, not just "limit reached".
      setErrors(placed.form ? { ...placed, form: problemMessage(result.problem) } : placed);
      return;
    }
    setErrors({ fields: {} });
    setName('');
    onCreated({ name: result.data.name, key: result.data.key });
  };
  return (
    <form
      className="card inline-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="new-key-title"
    >
      <h2 id="new-key-title">New API key</h2>
      <FormError message={errors.form} />
      <div className="inline-row">
        <Field
          id="key-name"
          label="Name"
          hint="What uses it, e.g. crm-integration."
          required
          maxLength={100}
          value={name}
          onChange={setName}
          error={errors.fields.name}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
