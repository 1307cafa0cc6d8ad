import { useEffect, useState, type FormEvent } from 'react';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { navigate } from '../routing/router.store';
import { safeNext } from '../routing/routes.policy';
import { useSession } from '../session/session.store';
import { Field, FormError } from '../ui/field.component';
import { AuthCard } from './auth-card.component';

type SignInField = 'email' | 'password';

/** Email and password; back to the page that asked for a session (?next=) afterwards. */
export function SignInPage() {
  const { state, signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors<SignInField>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const next = safeNext(new URLSearchParams(location.search).get('next'));

  useEffect(() => {
    if (state.status === 'signed-in') navigate(next, { replace: true });
  }, [state.status, next]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const problem = await signIn(email.trim(), password);
    setBusy(false);
    if (problem) setErrors(formErrors(problem, ['email', 'password'] as const));
  };

  return (
    <AuthCard title="Sign in">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={errors.form} />
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <button type="submit" className="button button-primary button-wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted small">No account yet? Ask an admin of your account for an invitation.</p>
    </AuthCard>
  );
}
