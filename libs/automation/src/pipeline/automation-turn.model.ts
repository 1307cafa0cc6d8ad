import type { DomainError } from '@wwb/runtime';
import type { ContactView } from '@wwb/contacts';
import type { EventDataMap, EventType, TypedEvent } from '@wwb/contracts';
import type { AccountScope } from '@wwb/persistence';
import type { ChatStateRecord } from './chat-state.schema';

/** An event automation will publish once the turn is over (all of a turn's events in one produce). */
export interface PendingEvent<T extends EventType = EventType> {
  type: T;
  data: EventDataMap[T];
}

/**
 * One inbound message going through the pipeline: what every step reads (the message, its
 * contact, the time) and what they leave behind (the chat state they change in place, the events
 * to publish, the HTTP calls to make once the replies are out).
 */
export interface AutomationTurn {
  scope: AccountScope;
  event: TypedEvent<'message.received'>;
  connectionId: string;
  chatId: string;
  isGroup: boolean;
  /** The sender's contact; null in groups and for senders without a phone number. */
  contact: ContactView | null;
  /** Who a cooldown is counted for: the contact, else the sender's WhatsApp id. */
  contactKey: string;
  text: string;
  now: Date;
  state: ChatStateRecord;
  events: PendingEvent[];
  /** Work that leaves the process (rule HTTP actions), run after the turn's replies were accepted. */
  deferred: (() => Promise<void>)[];
}

export const pending = <T extends EventType>(type: T, data: EventDataMap[T]): PendingEvent =>
  ({ type, data }) as PendingEvent;

/**
 * A domain error the consumer should retry rather than record as a failed action: the send use
 * case was unavailable or timed out, or the same reply is being accepted by a redelivery right
 * now (its idempotency key is in progress: the retry finds the message and moves on).
 */
export function retryLater(err: DomainError): boolean {
  return err.transient || err.code === 'idempotency_key_in_progress';
}
