import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type Account = Schemas['AccountDto'];
export type Plan = Account['plan'];

export const PLANS: readonly { value: Plan; label: string }[] = [
  { value: 'starter', label: 'Starter' },
  { value: 'professional', label: 'Professional' },
  { value: 'enterprise', label: 'Enterprise' },
];

export const isPlan = (value: string): value is Plan => PLANS.some((p) => p.value === value);
export const planLabel = (plan: string): string => PLANS.find((p) => p.value === plan)?.label ?? plan;

const SHOWN: readonly [keyof Account['usage'] & keyof Account['limits'], string][] = [
  ['connections', 'connections'],
  ['apiKeys', 'API keys'],
  ['users', 'users'],
  ['webhooks', 'webhooks'],
];

/** What an account uses of the limits an operator looks at first, e.g. "1/10 connections". */
export function usageSummary(account: Pick<Account, 'usage' | 'limits'>, locale?: string): string {
  const n = new Intl.NumberFormat(locale);
  return SHOWN.map(([key, label]) => {
    const limit = account.limits[key];
    return `${n.format(account.usage[key])}/${limit === null ? '∞' : n.format(limit)} ${label}`;
  }).join(', ');
}
