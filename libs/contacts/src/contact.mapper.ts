import { DomainError } from '@wwb/runtime';
import type { Attributes } from './contact-fields.policy';
import type { ContactActivityRecord, ContactRecord, OptOutSource } from './contact.schema';

/** A contact as the API and the automation see it. */
export interface ContactView {
  id: string;
  /** E.164. */
  phone: string;
  /** The name the account gave, else the WhatsApp push name of the last inbound message. */
  name: string | null;
  /** The WhatsApp push name of the last inbound message. */
  pushName: string | null;
  tags: string[];
  attributes: Attributes;
  timeZone: string;
  language: string | null;
  optOut: { optedOut: boolean; at: string | null; reason: string | null; source: OptOutSource | null };
  lastInboundAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toContactView(c: ContactRecord, activity?: ContactActivityRecord | null): ContactView {
  const pushName = activity?.pushName ?? null;
  return {
    id: c._id,
    phone: c.phone,
    name: c.name ?? pushName,
    pushName,
    tags: [...(c.tags ?? [])],
    attributes: { ...(c.attributes ?? {}) },
    timeZone: c.timeZone,
    language: c.language ?? null,
    optOut: {
      optedOut: c.optOut?.optedOut ?? false,
      at: c.optOut?.at ? new Date(c.optOut.at).toISOString() : null,
      reason: c.optOut?.reason ?? null,
      source: c.optOut?.source ?? null,
    },
    lastInboundAt: activity?.lastInboundAt ? new Date(activity.lastInboundAt).toISOString() : null,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

const CONTACT_ID = /^ctc_[0-9A-HJKMNP-TV-Z]{26}$/;

export const isContactId = (id: string): boolean => CONTACT_ID.test(id);

/** Opaque cursor of a newest-first page: base64url of the last contact id. */
export function encodeContactCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

export function decodeContactCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isContactId(id)) {
    throw DomainError.invalid('invalid_cursor', 'cursor is not a cursor this endpoint returned');
  }
  return id;
}
