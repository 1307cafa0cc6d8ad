import { Injectable } from '@nestjs/common';
import { currentStatus, MessageStatus, OutboundMessageRepository } from '../outbound';

/** Where a message sent through us stands, for reports of other features (campaign runs). */
export interface MessageOutcome {
  /** False when no message was stored under this id (the send never reached the use case). */
  stored: boolean;
  status: MessageStatus;
  /** The failure code, when status is failed. */
  reason: string | null;
}

const BATCH = 500;

/**
 * The outcomes of many messages of one account at once (stored or not, the status they add up
 * to, why they failed), read from messaging's own records: a report never re-derives statuses.
 */
@Injectable()
export class MessageOutcomeService {
  constructor(private readonly messages: OutboundMessageRepository) {}

  async of(accountId: string, messageIds: string[]): Promise<Map<string, MessageOutcome>> {
    const out = new Map<string, MessageOutcome>();
    for (let i = 0; i < messageIds.length; i += BATCH) {
      const ids = messageIds.slice(i, i + BATCH);
      const [stored, statuses] = await Promise.all([
        this.messages.storedAmong(accountId, ids),
        this.messages.statusesOfMany(ids),
      ]);
      for (const id of ids) {
        const records = stored.has(id) ? (statuses.get(id) ?? []) : [];
        const status = currentStatus(records.map((r) => r.status));
        const failed = records.find((r) => r.status === 'failed');
        out.set(id, {
          stored: stored.has(id),
          status,
          reason: status === 'failed' ? (failed?.reason?.code ?? null) : null,
        });
      }
    }
    return out;
  }
}
