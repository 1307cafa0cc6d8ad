import { Injectable } from '@nestjs/common';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import {
  checkTagCount,
  CONTACT_LIMITS,
  mergeAttributes,
  normaliseLanguage,
  normaliseName,
  normaliseTags,
  normaliseTimeZone,
} from './contact-fields.policy';
import {
  ContactView,
  decodeContactCursor,
  encodeContactCursor,
  isContactId,
  toContactView,
} from './contact.mapper';
import { ContactChanges, ContactFilter, ContactRepository } from './contact.repository';
import { ContactRecord, OptOutSource } from './contact.schema';
import { defaultTimeZone, normalisePhone, tryNormalisePhone } from './phone-number.policy';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export interface ContactPage {
  data: ContactView[];
  nextCursor: string | null;
}

/** PATCH: absent fields stay; see docs/contacts.md for the tag and attribute semantics. */
export interface ContactPatch {
  phone?: string;
  name?: string | null;
  /** Replaces the tags (not with addTags/removeTags). */
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
  /** Merged into the attributes; a null value removes the key. */
  attributes?: Record<string, unknown>;
  /** null: back to the default of the phone's country. */
  timeZone?: string | null;
  language?: string | null;
}

export interface OptOutChange {
  optedOut: boolean;
  reason: string;
  source: OptOutSource;
  at: Date;
}

export interface InboundContact {
  /** Digits, E.164 or a WhatsApp user id. */
  phone: string;
  name?: string | null;
  connectionId: string;
  at: Date;
}

export const contactNotFound = () => DomainError.notFound('Contact', 'contact_not_found');

export const contactExists = (existing: ContactRecord) =>
  DomainError.conflict('contact_exists', `A contact with phone ${existing.phone} exists`, {
    id: existing._id,
    phone: existing.phone,
  });

/** A new contact document with the defaults (time zone of the phone's country, opted in). */
export function newContact(
  ids: IdGenerator,
  now: Date,
  fields: { phone: string } & Partial<Omit<ContactRecord, '_id' | 'phone'>>,
): ContactRecord {
  return {
    _id: ids.prefixed('ctc'),
    accountId: fields.accountId ?? '',
    phone: fields.phone,
    name: fields.name ?? null,
    tags: fields.tags ?? [],
    attributes: fields.attributes ?? {},
    timeZone: fields.timeZone ?? defaultTimeZone(fields.phone),
    language: fields.language ?? null,
    optOut: fields.optOut ?? { optedOut: false, at: null, reason: null, source: null },
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Contacts of an account: reads, edits, opt-out and what inbound messages teach. Creating through
 * the API (plan limit) is ContactCreateService; the worker's inbound pipeline uses this class.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async get(scope: AccountScope, id: string): Promise<ContactView> {
    const contact = await this.load(scope, id);
    return this.view(scope, contact);
  }

  /** The contact of a phone (digits, E.164 or WhatsApp id), or null. */
  async findByPhone(scope: AccountScope, phone: string): Promise<ContactView | null> {
    const e164 = tryNormalisePhone(phone);
    if (!e164) return null;
    const contact = await this.contacts.findByPhone(scope, e164);
    return contact ? this.view(scope, contact) : null;
  }

  async list(
    scope: AccountScope,
    query: ContactFilter & { cursor?: string; limit?: number },
  ): Promise<ContactPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const filter: ContactFilter = {
      ...(query.tags?.length ? { tags: normaliseTags(query.tags) } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(query.optedOut !== undefined ? { optedOut: query.optedOut } : {}),
    };
    const rows = await this.contacts.page(scope, filter, {
      limit: limit + 1,
      ...(query.cursor !== undefined ? { beforeId: decodeContactCursor(query.cursor) } : {}),
    });
    const page = rows.slice(0, limit);
    const activity = await this.contacts.activityOf(
      scope,
      page.map((c) => c._id),
    );
    const last = page[page.length - 1];
    return {
      data: page.map((c) => toContactView(c, activity.get(c._id))),
      nextCursor: rows.length > limit && last ? encodeContactCursor(last._id) : null,
    };
  }

  /** PATCH. 400 for invalid fields, 404, 409 contact_exists when the new phone is taken. */
  async update(scope: AccountScope, id: string, patch: ContactPatch): Promise<ContactView> {
    const current = await this.load(scope, id);
    if (patch.tags !== undefined && (patch.addTags !== undefined || patch.removeTags !== undefined)) {
      throw DomainError.invalid(
        'conflicting_tag_changes',
        'send either tags or addTags/removeTags, not both',
      );
    }
    const changes: ContactChanges = { updatedAt: this.clock.now() };
    if (patch.phone !== undefined) changes.phone = normalisePhone(patch.phone);
    if (patch.name !== undefined) changes.name = normaliseName(patch.name);
    if (patch.tags !== undefined) changes.tags = checkTagCount(normaliseTags(patch.tags));
    if (patch.addTags !== undefined || patch.removeTags !== undefined) {
      const remove = new Set(normaliseTags(patch.removeTags ?? []));
      const merged = [...new Set([...current.tags, ...normaliseTags(patch.addTags ?? [])])];
      changes.tags = checkTagCount(merged.filter((t) => !remove.has(t)));
    }
    if (patch.attributes !== undefined)
      changes.attributes = mergeAttributes(current.attributes, patch.attributes);
    if (patch.timeZone !== undefined) {
      changes.timeZone =
        patch.timeZone === null
          ? defaultTimeZone(changes.phone ?? current.phone)
          : normaliseTimeZone(patch.timeZone);
    }
    if (patch.language !== undefined)
      changes.language = patch.language === null ? null : normaliseLanguage(patch.language);
    if (changes.phone !== undefined && changes.phone !== current.phone) {
      const holder = await this.contacts.findByPhone(scope, changes.phone);
      if (holder) throw contactExists(holder);
    }
    let updated: ContactRecord | null;
    try {
      updated = await this.contacts.update(scope, id, changes);
    } catch (err) {
      // Taken meanwhile (the unique index refused it; FerretDB does not say so with code 11000).
      const holder = changes.phone ? await this.contacts.findByPhone(scope, changes.phone) : null;
      throw holder && holder._id !== id ? contactExists(holder) : err;
    }
    if (!updated) throw contactNotFound();
    return this.view(scope, updated);
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    if (!isContactId(id) || !(await this.contacts.delete(scope, id))) throw contactNotFound();
  }

  async addTags(scope: AccountScope, id: string, tags: readonly string[]): Promise<ContactView> {
    const add = normaliseTags(tags);
    const current = await this.load(scope, id);
    checkTagCount([...new Set([...current.tags, ...add])]);
    if (add.every((t) => current.tags.includes(t))) return this.view(scope, current);
    const updated = await this.contacts.changeTags(scope, id, { add }, this.clock.now());
    if (!updated) throw contactNotFound();
    return this.view(scope, updated);
  }

  async removeTags(scope: AccountScope, id: string, tags: readonly string[]): Promise<ContactView> {
    const remove = normaliseTags(tags);
    const current = await this.load(scope, id);
    if (!remove.some((t) => current.tags.includes(t))) return this.view(scope, current);
    const updated = await this.contacts.changeTags(scope, id, { remove }, this.clock.now());
    if (!updated) throw contactNotFound();
    return this.view(scope, updated);
  }

  /**
   * Opts the contact out (or back in). Asking for the state the contact is already in changes
   * nothing, so a repeated STOP keeps the time and reason of the first.
   */
  async setOptOut(scope: AccountScope, id: string, change: OptOutChange): Promise<ContactView> {
    const current = await this.load(scope, id);
    if ((current.optOut?.optedOut ?? false) === change.optedOut) {
      return this.view(scope, current);
    }
    const reason = change.reason.trim().slice(0, CONTACT_LIMITS.reasonLength) || null;
    const updated = await this.contacts.setOptOut(
      scope,
      id,
      { optedOut: change.optedOut, at: change.at, reason, source: change.source },
      this.clock.now(),
    );
    if (!updated) throw contactNotFound();
    return this.view(scope, updated);
  }

  /**
   * Per inbound message: finds or creates the sender's contact (created with the default time
   * zone of the phone's country) and records the push name and time. Every round trip goes by
   * `_id` (the only filter FerretDB 1.24 answers without reading the whole collection): the
   * phone key, the contact it names, then an upsert of the activity document that returns it; a
   * new phone: the key (absent), the unique insert of the contact, then its key and its first
   * activity side by side. Only a missing or stale key (contacts from before the keys, a crash
   * between two writes) costs one read by (account, phone), which also repairs the key. The
   * activity goes to the contact the key names only once that contact was read and still holds
   * the phone (a stale key must not move another contact's activity). It never writes the
   * contact document itself,
   * so an API edit made at the same moment cannot be undone by it (see ContactActivityDoc). The
   * plan's contact limit does not apply: a person who writes in must be recorded, if only to
   * honour their STOP.
   */
  async recordInbound(scope: AccountScope, inbound: InboundContact): Promise<ContactView> {
    const phone = normalisePhone(inbound.phone);
    const known = await this.byPhoneKey(scope, phone);
    const { contact, created } = known
      ? { contact: known, created: false }
      : await this.createForInbound(scope, phone);
    const facts = {
      at: inbound.at,
      pushName: normalisePushName(inbound.name),
      connectionId: inbound.connectionId,
    };
    const [activity] = await Promise.all([
      this.contacts.recordActivity(scope, contact._id, facts, created),
      created ? this.contacts.addPhoneKey(scope, contact) : null,
    ]);
    return toContactView(contact, activity);
  }

  /** The contact the phone's key names, if it still holds the phone. */
  private async byPhoneKey(scope: AccountScope, phone: string): Promise<ContactRecord | null> {
    const id = await this.contacts.contactIdByPhoneKey(scope, phone);
    const contact = id ? await this.contacts.get(scope, id) : null;
    return contact?.phone === phone ? contact : null;
  }

  private async createForInbound(
    scope: AccountScope,
    phone: string,
  ): Promise<{ contact: ContactRecord; created: boolean }> {
    const fresh = newContact(this.ids, this.clock.now(), { phone, accountId: scope.accountId });
    try {
      await this.contacts.insertContact(scope, fresh); // its key is written with its activity
      return { contact: fresh, created: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const holder = await this.contacts.findByPhone(scope, phone);
      if (!holder) throw err;
      await this.contacts.putPhoneKey(scope, phone, holder._id);
      return { contact: holder, created: false };
    }
  }

  private async load(scope: AccountScope, id: string): Promise<ContactRecord> {
    const contact = isContactId(id) ? await this.contacts.get(scope, id) : null;
    if (!contact) throw contactNotFound();
    return contact;
  }

  private async view(scope: AccountScope, contact: ContactRecord): Promise<ContactView> {
    const activity = await this.contacts.activityOf(scope, [contact._id]);
    return toContactView(contact, activity.get(contact._id));
  }
}

function normalisePushName(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  return trimmed ? trimmed.slice(0, CONTACT_LIMITS.nameLength) : null;
}
