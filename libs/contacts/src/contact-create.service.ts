import { Injectable } from '@nestjs/common';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { Clock, IdGenerator } from '@wwb/runtime';
import {
  checkTagCount,
  mergeAttributes,
  normaliseLanguage,
  normaliseName,
  normaliseTags,
  normaliseTimeZone,
} from './contact-fields.policy';
import { ContactView, toContactView } from './contact.mapper';
import { ContactRepository } from './contact.repository';
import { contactLimitExceeded, ContactQuotaService } from './contact-quota.service';
import { contactExists, newContact } from './contacts.service';
import { normalisePhone } from './phone-number.policy';

export interface CreateContactCommand {
  phone: string;
  name?: string | null;
  tags?: string[];
  attributes?: Record<string, unknown>;
  timeZone?: string | null;
  language?: string | null;
}

/** POST /v1/contacts: validates, checks the plan's contact limit, inserts (unique per phone). */
@Injectable()
export class ContactCreateService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly quota: ContactQuotaService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async create(scope: AccountScope, command: CreateContactCommand): Promise<ContactView> {
    const phone = normalisePhone(command.phone);
    const contact = newContact(this.ids, this.clock.now(), {
      phone,
      accountId: scope.accountId,
      name: normaliseName(command.name),
      tags: checkTagCount(normaliseTags(command.tags ?? [])),
      attributes: mergeAttributes({}, command.attributes ?? {}),
      ...(command.timeZone ? { timeZone: normaliseTimeZone(command.timeZone) } : {}),
      language: command.language ? normaliseLanguage(command.language) : null,
    });
    const existing = await this.contacts.findByPhone(scope, phone);
    if (existing) throw contactExists(existing);
    const { room, plan } = await this.quota.room(scope);
    if (room === 0) throw contactLimitExceeded(plan);
    try {
      await this.contacts.insert(scope, contact);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await this.contacts.findByPhone(scope, phone);
      throw winner ? contactExists(winner) : err;
    }
    return toContactView(contact, null);
  }
}
