import { useEffect, useState, type FormEvent } from 'react';
import { formErrors, type FormErrors } from '../api/api-error.mapper';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { Field, FormError } from '../ui/field.component';
import { OperatorFrame } from './operator-frame.component';
import { useOperatorSession } from './operator-session.store';

/** The operator signs in with the platform's ADMIN_API_KEY; the session opens /v1/admin only. */
export function OperatorSignInPage() {
  const { state, signIn } = useOperatorSession();
  const [adminKey, setAdminKey] = useState('');
  const [errors, setErrors] = useState<FormErrors<'adminKey'>>({ fields: {} });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (state.status === 'signed-in') navigate(urls.operatorAccounts, { replace: true });
  }, [state.status]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const problem = await signIn(adminKey);
    setBusy(false);
    if (problem) {
      setErrors(
        formErrors(problem, ['adminKey'] as const, {
          codes: { invalid_admin_key: 'adminKey' },
          labels: { adminKey: 'Operator key' },
        }),
      );
    }
  };

  return (
    <OperatorFrame title="Operator sign-in">
      <form className="card operator-narrow" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">
          For the people who run this platform: accounts, plans and their first API keys.
        </p>
        <FormError message={errors.form} />
        <Field
          id="admin-key"
          label="Operator key"
          hint="The ADMIN_API_KEY of the platform's configuration."
          type="password"
          autoComplete="off"
          required
          value={adminKey}
          onChange={setAdminKey}
          error={errors.fields.adminKey}
        />
        <button type="submit" className="button button-primary button-wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </OperatorFrame>
  );
}
