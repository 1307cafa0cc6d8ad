import { useEffect, useState, type FormEvent } from 'react';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { useSession } from '../session/session.store';
import { Field, FormError } from '../ui/field.component';
import { AuthCard } from './auth-card.component';

type InvitationField = 'name' | 'password';

const MESSAGES: Readonly<Record<string, string>> = {
  invitation_not_found:
    'This invitation is not valid any more (used, expired or withdrawn). Ask an admin of your account for a new one.',
};

/** The page of an invitation link (/console/accept-invitation?token=…): name and password, then signed in. */
export function AcceptInvitationPage() {
  const { state, acceptInvitation } = useSession();
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors<InvitationField>>({ fields: {} });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (state.status === 'signed-in') navigate(urls.connections, { replace: true });
  }, [state.status]);

  if (!token) {
    return (
      <AuthCard title="Accept an invitation">
        <p role="alert" className="form-error">
          This link has no invitation token. Open the link from your invitation again, or ask for a new one.
        </p>
        <p>
          <Link to={urls.signIn}>Sign in instead</Link>
        </p>
      </AuthCard>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const problem = await acceptInvitation(token, name.trim(), password);
    setBusy(false);
    if (!problem) return;
    const mapped = formErrors(problem, ['name', 'password'] as const, {
      codes: { weak_password: 'password' },
    });
    setErrors({ ...mapped, ...(MESSAGES[problem.code] ? { form: MESSAGES[problem.code] } : {}) });
  };

  return (
    <AuthCard title="Accept an invitation">
      <p className="muted">Choose the name your team sees and a password to sign in with.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={errors.form} />
        <Field
          id="name"
          label="Your name"
          autoComplete="name"
          required
          maxLength={200}
          value={name}
          onChange={setName}
          error={errors.fields.name}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <button type="submit" className="button button-primary button-wide" disabled={busy}>
          {busy ? 'Creating your user…' : 'Accept and sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
