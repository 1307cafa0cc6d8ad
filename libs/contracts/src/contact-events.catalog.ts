import type { EventDefinition } from './event-catalog';
import { defineEvent, obj, STR } from './catalog-schema.util';

/**
 * A contact opting out of automated and campaign messages, or back in: by keyword (the worker's
 * `automation` consumer set reads STOP / START), through the API, or by an import. Keyed by the
 * chat, like the automation events around them.
 */

export const OPT_OUT_SOURCES = ['keyword', 'api', 'import'] as const;
export type OptOutSource = (typeof OPT_OUT_SOURCES)[number];

export interface ContactOptOutData {
  contactId: string;
  /** E.164. */
  phone: string;
  reason: string;
  source: OptOutSource;
  /** The inbound message that carried the keyword (source `keyword`). */
  triggerEventId?: string;
}

export type ContactOptedOutData = ContactOptOutData;
export type ContactOptedInData = ContactOptOutData;

const TRIGGER = { ...STR, description: 'Id of the event that caused this one' };

const OPT_OUT = obj(
  {
    contactId: STR,
    phone: { ...STR, description: 'E.164' },
    reason: STR,
    source: { type: 'string', enum: OPT_OUT_SOURCES },
    triggerEventId: TRIGGER,
  },
  ['contactId', 'phone', 'reason', 'source'],
);

const EXAMPLE = {
  contactId: 'ct_01JDQ92A1B2C3D4E5F6G7H8J9K',
  triggerEventId: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
};

export interface ContactEventDataMap {
  'contact.opted_out': ContactOptedOutData;
  'contact.opted_in': ContactOptedInData;
}

export const CONTACT_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'contact.opted_out',
    version: 1,
    description:
      'A contact opted out of automated and campaign messages (an opt-out keyword such as STOP, or the API); nothing automated is sent to them any more.',
    orderingKey: 'chat',
    dataSchema: OPT_OUT,
    example: {
      contactId: EXAMPLE.contactId,
      phone: '+15557654321',
      reason: 'keyword STOP',
      source: 'keyword',
      triggerEventId: EXAMPLE.triggerEventId,
    },
  }),
  defineEvent({
    type: 'contact.opted_in',
    version: 1,
    description: 'An opted-out contact opted back in (START, or the API).',
    orderingKey: 'chat',
    dataSchema: OPT_OUT,
    example: {
      contactId: EXAMPLE.contactId,
      phone: '+15557654321',
      reason: 'keyword START',
      source: 'keyword',
      triggerEventId: EXAMPLE.triggerEventId,
    },
  }),
];
