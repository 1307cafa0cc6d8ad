import { ACCOUNT_EVENT_DEFINITIONS } from './account-events.catalog';
import { AUTOMATION_EVENT_DEFINITIONS } from './automation-events.catalog';
import { CAMPAIGN_EVENT_DEFINITIONS } from './campaign-events.catalog';
import { CONTACT_EVENT_DEFINITIONS } from './contact-events.catalog';
import { CONNECTION_EVENT_DEFINITIONS } from './connection-events.catalog';
import { MESSAGE_EVENT_DEFINITIONS } from './message-events.catalog';
import { WEBHOOK_EVENT_DEFINITIONS } from './webhook-events.catalog';
import { WHATSAPP_EVENT_DEFINITIONS } from './whatsapp-events.catalog';

/** Every event type, its data schema and an example: the source of docs/events/. */
export interface EventDefinition {
  type: string;
  version: number;
  description: string;
  /** What the Kafka message key is for this event (the unit of ordering). */
  orderingKey: 'account' | 'connection' | 'chat';
  dataSchema: Record<string, unknown>;
  example: Record<string, unknown>;
}

/**
 * The catalogue files, in the order docs/events/ lists them. A new `<domain>-events.catalog.ts`
 * is registered here, and its data types in EventDataMap (event-types.ts).
 */
export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  ...ACCOUNT_EVENT_DEFINITIONS,
  ...CONNECTION_EVENT_DEFINITIONS,
  ...MESSAGE_EVENT_DEFINITIONS,
  ...WHATSAPP_EVENT_DEFINITIONS,
  ...WEBHOOK_EVENT_DEFINITIONS,
  ...AUTOMATION_EVENT_DEFINITIONS,
  ...CONTACT_EVENT_DEFINITIONS,
  ...CAMPAIGN_EVENT_DEFINITIONS,
];

export function findEventDefinition(type: string, version?: number): EventDefinition | undefined {
  return EVENT_DEFINITIONS.find((d) => d.type === type && (version === undefined || d.version === version));
}
