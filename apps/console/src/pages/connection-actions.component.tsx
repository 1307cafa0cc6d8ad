import { useState, type FormEvent } from 'react';
import { api, call, type Result } from '../api/api.client';
import type { Connection } from '../api/api.dto';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { ConfirmButton } from '../ui/confirm-button.component';
import { Field, FormError } from '../ui/field.component';

interface ActionsProps {
  connection: Connection;
  onChange: (connection: Connection) => void;
}

/** What an admin can do with a connection: pairing code, restart, log out, delete. */
export function ConnectionActions({ connection, onChange }: ActionsProps) {
  const id = connection.id;
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const path = { params: { path: { id } } };

  const run = async (what: string, action: () => Promise<void>) => {
    setProblem(undefined);
    setDone(undefined);
    try {
      await action();
      setDone(what);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };
  const change = (request: () => Promise<Result<Connection>>) => async () => {
    const result = await request();
    if (!result.ok) throw new Error(result.problem.message);
    onChange(result.data);
  };

  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Manage</h2>
      {connection.status === 'qr' && <PairingCode id={id} />}
      <div className="actions" role="group" aria-label="Connection actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            void run(
              'Restart requested.',
              change(() => call(api.POST('/v1/connections/{id}/restart', path))),
            )
          }
        >
          Restart
        </button>
        <ConfirmButton
          label="Log out"
          title="Log out this phone?"
          confirmLabel="Log out"
          onConfirm={() =>
            run(
              'Logout requested.',
              change(() => call(api.POST('/v1/connections/{id}/logout', path))),
            )
          }
        >
          <p>
            The phone is unlinked and its session deleted. The connection stays; restart it to link again.
          </p>
        </ConfirmButton>
        <ConfirmButton
          label="Delete"
          className="button button-danger"
          title={`Delete ${connection.name}?`}
          confirmLabel="Delete connection"
          onConfirm={() =>
            run('Deleted.', async () => {
              const result = await call(api.DELETE('/v1/connections/{id}', path));
              if (!result.ok) throw new Error(result.problem.message);
              navigate(urls.connections);
            })
          }
        >
          <p>The phone is logged out and the connection removed. This cannot be undone.</p>
        </ConfirmButton>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
    </section>
  );
}

/** Link by phone number instead of a scan: WhatsApp shows where to type the code. */
function PairingCode({ id }: { id: string }) {
  const [phoneNumber, setPhoneNumber] = useState('');
  const [code, setCode] = useState<string>();
  const [errors, setErrors] = useState<FormErrors<'phoneNumber'>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setCode(undefined);
    const result = await call(
      api.POST('/v1/connections/{id}/pairing-code', {
        params: { path: { id } },
        body: { phoneNumber: phoneNumber.trim() },
      }),
    );
    setBusy(false);
    if (result.ok) {
      setErrors({ fields: {} });
      setCode(result.data.code);
    } else {
      setErrors(
        formErrors(result.problem, ['phoneNumber'] as const, { labels: { phoneNumber: 'Phone number' } }),
      );
    }
  };
  return (
    <form className="pairing" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="pairing-title">
      <h3 id="pairing-title">Or link with a phone number</h3>
      <FormError message={errors.form} />
      <div className="inline-row">
        <Field
          id="pairing-phone"
          label="Phone number of the WhatsApp account"
          hint="International format, e.g. +15551234567."
          type="tel"
          autoComplete="tel"
          value={phoneNumber}
          onChange={setPhoneNumber}
          error={errors.fields.phoneNumber}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Requesting…' : 'Get a pairing code'}
        </button>
      </div>
      {code && (
        <p role="status">
          Enter <strong className="pairing-code">{code}</strong> on the phone: WhatsApp, Linked devices, Link
          with phone number.
        </p>
      )}
    </form>
  );
}
