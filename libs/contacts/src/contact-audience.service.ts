import { Injectable } from '@nestjs/common';
import { AccountScope } from '@wwb/persistence';
import { ContactRepository } from './contact.repository';
import type { ContactRecord } from './contact.schema';
import type { Attributes } from './contact-fields.policy';

/** A contact as an audience sees it: what rendering and pacing need, and its opt-out state. */
export interface AudienceMember {
  id: string;
  phone: string;
  name: string | null;
  tags: string[];
  attributes: Attributes;
  timeZone: string;
  language: string | null;
  optedOut: boolean;
}

/** Who an audience names: contacts with any of `tags`, plus `contactIds`. */
export interface AudienceQuery {
  tags: readonly string[];
  contactIds: readonly string[];
}

const ID_BATCH = 500;

const member = (c: ContactRecord): AudienceMember => ({
  id: c._id,
  phone: c.phone,
  name: c.name ?? null,
  // The record is a fresh read, not shared: no defensive copies (an audience is 100,000 of these).
  tags: c.tags ?? [],
  attributes: c.attributes ?? {},
  timeZone: c.timeZone,
  language: c.language ?? null,
  optedOut: c.optOut?.optedOut ?? false,
});

/**
 * The members of an audience, each once, evaluated now (a campaign run reads it fresh): the
 * tagged contacts by a cursor (any size), then the explicit ids in batches. Opted-out contacts
 * are yielded too, marked, so a run can report them as skipped. Ids that name no contact of the
 * account are reported through `missing`.
 */
@Injectable()
export class ContactAudienceService {
  constructor(private readonly contacts: ContactRepository) {}

  /**
   * The contacts holding these phones (E.164), keyed by phone; a phone of no contact is absent.
   * One query per call: callers (a bulk job's planning) pass a batch at a time.
   */
  async byPhones(scope: AccountScope, phones: readonly string[]): Promise<Map<string, AudienceMember>> {
    const found = await this.contacts.findByPhones(scope, [...new Set(phones)]);
    return new Map(found.map((c) => [c.phone, member(c)]));
  }

  async *members(
    scope: AccountScope,
    query: AudienceQuery,
    missing: (contactId: string) => void = () => undefined,
  ): AsyncGenerator<AudienceMember> {
    const seen = new Set<string>();
    for await (const c of this.contacts.streamAnyTag(scope, query.tags)) {
      seen.add(c._id);
      yield member(c);
    }
    const explicit = [...new Set(query.contactIds)].filter((id) => !seen.has(id));
    for (let i = 0; i < explicit.length; i += ID_BATCH) {
      const batch = explicit.slice(i, i + ID_BATCH);
      const found = new Map((await this.contacts.getMany(scope, batch)).map((c) => [c._id, c]));
      for (const id of batch) {
        const c = found.get(id);
        if (c) yield member(c);
        else missing(id);
      }
    }
  }
}
