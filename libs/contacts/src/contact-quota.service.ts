import { Injectable } from '@nestjs/common';
import { AccountsService, Plan } from '@wwb/accounts';
import { AccountScope } from '@wwb/persistence';
import { DomainError } from '@wwb/runtime';
import { ContactRepository } from './contact.repository';

export const contactLimitExceeded = (plan: Plan) =>
  new DomainError(
    'forbidden',
    'plan_limit_exceeded',
    `The ${plan.name} plan allows at most ${plan.limit('contacts')} contacts`,
    { resource: 'contacts', plan: plan.name, limit: plan.limit('contacts') },
  );

/**
 * The plan's contact limit, counted in the contacts collection rather than with plan slots (an
 * account holds up to 100,000). Two creators racing at the last free places may overshoot by the
 * contacts in flight; that is accepted for this resource (see PlanLimits.contacts).
 */
@Injectable()
export class ContactQuotaService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly contacts: ContactRepository,
  ) {}

  /** How many more contacts the account may create (null: unlimited) and its plan. */
  async room(scope: AccountScope): Promise<{ room: number | null; plan: Plan }> {
    const plan = await this.accounts.planOf(scope);
    const limit = plan.limit('contacts');
    if (limit === null) return { room: null, plan };
    return { room: Math.max(0, limit - (await this.contacts.count(scope))), plan };
  }
}
