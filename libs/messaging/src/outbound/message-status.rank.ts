/**
 * The status of a message we send, and the one rule that orders statuses: a message's status is
 * the highest-ranked status recorded for it, so a late or duplicated ack can never move it back.
 *
 * `failed` outranks `sent` (WhatsApp's server refused a message the gateway had handed over) but
 * not `delivered`, `read` or `played`: once the recipient's phone has the message, a stray error
 * ack does not make it undelivered.
 */
export const MESSAGE_STATUSES = ['queued', 'sent', 'failed', 'delivered', 'read', 'played'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Statuses after which the gateway has nothing left to do (the send happened or cannot happen). */
export const SETTLED_STATUSES: readonly MessageStatus[] = ['sent', 'failed', 'delivered', 'read', 'played'];

const RANK: Record<MessageStatus, number> = {
  queued: 0,
  sent: 10,
  failed: 15,
  delivered: 20,
  read: 30,
  played: 40,
};

export function statusRank(status: MessageStatus): number {
  return RANK[status];
}

export function isMessageStatus(value: unknown): value is MessageStatus {
  return typeof value === 'string' && (MESSAGE_STATUSES as readonly string[]).includes(value);
}

/** True when `next` may replace `current` (strictly higher rank). */
export function advances(current: MessageStatus, next: MessageStatus): boolean {
  return RANK[next] > RANK[current];
}

/** The status a set of recorded statuses adds up to (`queued` when none). */
export function currentStatus(recorded: Iterable<MessageStatus>): MessageStatus {
  let best: MessageStatus = 'queued';
  for (const s of recorded) if (RANK[s] > RANK[best]) best = s;
  return best;
}
