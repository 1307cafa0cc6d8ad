import { useState, type FormEvent } from 'react';
import { formErrors, type ApiProblem, type FormErrors } from '../api/api-error.mapper';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { Field, FormError, SelectField } from '../ui/field.component';
import { isPlan, PLANS, type Account, type Plan } from './operator.mapper';

const placed = <F extends string>(
  problem: ApiProblem,
  fields: readonly F[],
  labels: Partial<Record<F, string>>,
) => {
  const errors = formErrors(problem, fields, { labels });
  return errors.form ? { ...errors, form: problemMessage(problem) } : errors;
};

/** A new account on a plan. */
export function CreateAccountCard({
  onCreate,
}: {
  onCreate: (name: string, plan: Plan) => Promise<ApiProblem | null>;
}) {
  const [name, setName] = useState('');
  const [plan, setPlan] = useState<Plan>('starter');
  const [errors, setErrors] = useState<FormErrors<'name' | 'plan'>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const problem = await onCreate(name.trim(), plan);
    setBusy(false);
    if (problem) return setErrors(placed(problem, ['name', 'plan'] as const, { name: 'Name', plan: 'Plan' }));
    setErrors({ fields: {} });
    setName('');
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-account-title">
      <h2 id="new-account-title">New account</h2>
      <FormError message={errors.form} />
      <Field
        id="account-name"
        label="Name"
        required
        value={name}
        onChange={setName}
        error={errors.fields.name}
      />
      <SelectField
        id="account-plan"
        label="Plan"
        options={PLANS}
        value={plan}
        onChange={(v) => isPlan(v) && setPlan(v)}
        error={errors.fields.plan}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}

/** An API key for an account (its first, usually), counted against its plan. */
export function IssueKeyCard({
  accounts,
  onIssue,
}: {
  accounts: readonly Account[];
  onIssue: (account: Account, name: string) => Promise<ApiProblem | null>;
}) {
  const [accountId, setAccountId] = useState('');
  const [name, setName] = useState('main');
  const [errors, setErrors] = useState<FormErrors<'account' | 'name'>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const chosen = accounts.find((a) => a.id === accountId) ?? accounts[0];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return setErrors({ fields: { account: 'Create an account first.' } });
    setBusy(true);
    const problem = await onIssue(chosen, name.trim());
    setBusy(false);
    setErrors(problem ? placed(problem, ['account', 'name'] as const, { name: 'Name' }) : { fields: {} });
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="issue-key-title">
      <h2 id="issue-key-title">Issue an API key</h2>
      <FormError message={errors.form} />
      <SelectField
        id="key-account"
        label="Account"
        options={accounts.map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }))}
        value={chosen?.id ?? ''}
        onChange={setAccountId}
        error={errors.fields.account}
      />
      <Field
        id="issued-key-name"
        label="Key name"
        required
        value={name}
        onChange={setName}
        error={errors.fields.name}
      />
      <button type="submit" className="button" disabled={busy || !chosen}>
        {busy ? 'Issuing…' : 'Issue key'}
      </button>
    </form>
  );
}
