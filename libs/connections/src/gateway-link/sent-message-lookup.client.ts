import { Injectable } from '@nestjs/common';
import type { AccountScope } from '@wwb/persistence';

/** Our message id (`msg_...`) -> WhatsApp's id, within one account and connection; null when unknown. */
export type SentMessageLookup = (
  scope: AccountScope,
  connectionId: string,
  messageId: string,
) => Promise<string | null>;

/**
 * Where the simulator's ack finds the WhatsApp id of a message sent through the platform.
 * Messaging owns that link and imports connections, so it plugs its lookup in here (at module
 * init) instead of connections importing messaging.
 */
@Injectable()
export class SentMessageLookupClient {
  private lookup?: SentMessageLookup;

  provide(lookup: SentMessageLookup): void {
    if (this.lookup) throw new Error('a sent-message lookup is already provided');
    this.lookup = lookup;
  }

  /** Null when the message is unknown in this account and connection (or nothing provides a lookup). */
  async waMessageIdOf(scope: AccountScope, connectionId: string, messageId: string): Promise<string | null> {
    return this.lookup ? this.lookup(scope, connectionId, messageId) : null;
  }
}
