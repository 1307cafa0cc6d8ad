import { useState } from 'react';
import { ConfirmButton } from '../ui/confirm-button.component';
import { Time } from '../ui/time.component';
import { isPlan, PLANS, usageSummary, type Account, type Plan } from './operator.mapper';

interface Props {
  account: Account;
  onPlan: (plan: Plan) => Promise<void>;
  onDisabled: (disabled: boolean) => Promise<void>;
}

/** One account: its plan to change, what it uses, and the switch that disables it. */
export function AccountRow({ account, onPlan, onDisabled }: Props) {
  const [plan, setPlan] = useState<Plan>(account.plan);
  const [busy, setBusy] = useState(false);
  const planId = `plan-${account.id}`;
  const save = async () => {
    setBusy(true);
    await onPlan(plan);
    setBusy(false);
  };
  return (
    <tr data-account-id={account.id} data-plan={account.plan}>
      <th scope="row">
        {account.name}
        <span className="muted small webhook-description">
          <code>{account.id}</code>
        </span>
      </th>
      <td>
        <div className="plan-picker">
          <label htmlFor={planId} className="visually-hidden">
            Plan of {account.name}
          </label>
          <select
            id={planId}
            value={plan}
            onChange={(e) => isPlan(e.target.value) && setPlan(e.target.value)}
          >
            {PLANS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            disabled={busy || plan === account.plan}
            onClick={() => void save()}
          >
            Change plan<span className="visually-hidden"> of {account.name}</span>
          </button>
        </div>
      </td>
      <td className="small">{usageSummary(account)}</td>
      <td>
        <span className={`badge badge-${account.disabled ? 'off' : 'ok'}`}>
          <span className="badge-dot" aria-hidden="true" />
          {account.disabled ? 'Disabled' : 'Enabled'}
        </span>{' '}
        {account.disabled ? (
          <button type="button" className="button" onClick={() => void onDisabled(false)}>
            Enable<span className="visually-hidden"> {account.name}</span>
          </button>
        ) : (
          <ConfirmButton
            label="Disable"
            context={account.name}
            className="button button-danger"
            title={`Disable ${account.name}?`}
            confirmLabel="Disable account"
            onConfirm={() => onDisabled(true)}
          >
            <p>
              Every request of the account is refused (403 account_disabled) and its console users are signed
              out. You can enable it again.
            </p>
          </ConfirmButton>
        )}
      </td>
      <td>
        <Time iso={account.createdAt} />
      </td>
    </tr>
  );
}
