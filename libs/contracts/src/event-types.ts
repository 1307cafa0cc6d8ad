import type { AccountEventDataMap } from './account-events.catalog';
import type { AutomationEventDataMap } from './automation-events.catalog';
import type { CampaignEventDataMap } from './campaign-events.catalog';
import type { ConnectionEventDataMap } from './connection-events.catalog';
import type { ContactEventDataMap } from './contact-events.catalog';
import { EVENT_DEFINITIONS } from './event-catalog';
import type { EventEnvelope } from './event-envelope';
import type { MessageEventDataMap } from './message-events.catalog';
import type { WebhookEventDataMap } from './webhook-events.catalog';
import type { WhatsAppEventDataMap } from './whatsapp-events.catalog';

/**
 * The TypeScript type of `data` of every catalogued event type (its newest version). A new
 * catalogue file adds its map here; event-types.spec.ts fails while this map and
 * EVENT_DEFINITIONS name different types.
 */
export interface EventDataMap
  extends
    AccountEventDataMap,
    ConnectionEventDataMap,
    MessageEventDataMap,
    WhatsAppEventDataMap,
    WebhookEventDataMap,
    AutomationEventDataMap,
    ContactEventDataMap,
    CampaignEventDataMap {}

export type EventType = keyof EventDataMap;

/** An envelope of a known type, with its `data` typed: `TypedEvent<'message.received'>`. */
export type TypedEvent<T extends EventType> = EventEnvelope<EventDataMap[T], T>;

/** Any catalogued event, discriminated by `type`. */
export type AnyTypedEvent = { [K in EventType]: TypedEvent<K> }[EventType];

const NEWEST_VERSION = new Map<string, number>();
for (const d of EVENT_DEFINITIONS)
  NEWEST_VERSION.set(d.type, Math.max(d.version, NEWEST_VERSION.get(d.type) ?? 0));

/**
 * Narrows an envelope to its typed form. Only the newest version of the type matches: EventDataMap
 * describes that one. Use it on envelopes that passed the EventValidator (consumers get those), as
 * it looks at `type` and `version` and trusts the validator for `data`.
 */
export function isEventOf<T extends EventType>(event: EventEnvelope, type: T): event is TypedEvent<T> {
  return event.type === type && event.version === NEWEST_VERSION.get(type);
}
