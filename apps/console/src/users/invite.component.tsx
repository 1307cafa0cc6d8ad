import { useState, type FormEvent } from 'react';
import { api, call } from '../api/api.client';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { ShownOnce } from '../api-keys/shown-once.component';
import type { Role } from '../session/permissions.policy';
import { Field, FormError, SelectField } from '../ui/field.component';
import { isRole, ROLE_OPTIONS } from './users.policy';

type InviteField = 'email' | 'role';

/** Invite a person by email with a role; the accept link is shown once, to send them. */
export function InviteCard({ onInvited }: { onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [errors, setErrors] = useState<FormErrors<InviteField>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<{ email: string; url: string }>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await call(api.POST('/v1/users/invitations', { body: { email: email.trim(), role } }));
    setBusy(false);
    if (!result.ok) {
      const placed = formErrors(result.problem, ['email', 'role'] as const, {
        codes: { user_exists: 'email' },
        labels: { email: 'Email', role: 'Role' },
      });
      setErrors(placed.form ? { ...placed, form: problemMessage(result.problem) } : placed);
      return;
    }
    setErrors({ fields: {} });
    setEmail('');
    setLink({ email: result.data.email, url: result.data.acceptUrl });
    onInvited();
  };

  return (
    <>
      <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="invite-title">
        <h2 id="invite-title">Invite a person</h2>
        <FormError message={errors.form} />
        <div className="inline-row">
          <Field
            id="invite-email"
            label="Email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={setEmail}
            error={errors.fields.email}
          />
          <SelectField
            id="invite-role"
            label="Role"
            options={ROLE_OPTIONS}
            value={role}
            onChange={(v) => isRole(v) && setRole(v)}
            error={errors.fields.role}
          />
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Inviting…' : 'Invite'}
          </button>
        </div>
        <p className="muted small">
          The invitation is valid for 7 days. Inviting the same email again replaces it.
        </p>
      </form>
      {link && (
        <ShownOnce
          title={`Invitation for ${link.email}`}
          label="Link to accept the invitation"
          value={link.url}
          testId="invite-link"
          note="Shown this once: send it to the person yourself (the console sends no email). Whoever has it can join."
          onDone={() => setLink(undefined)}
        />
      )}
    </>
  );
}
