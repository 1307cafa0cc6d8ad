import { createHash } from 'node:crypto';
import type { FaqOutcomeKind } from './faq-bot.schema';

export interface OutcomeMark {
  kind: FaqOutcomeKind;
  at: Date;
  recordedAt: Date;
}

/** How many of the newest outcomes to read: more than any sensible hand-off setting. */
export const MISSES_LOOKBACK = 60;

/**
 * Consecutive misses at the head of a chat's outcomes (newest first): an answer or a hand-off
 * ends the run. Order: message time, then recording time; an answer or hand-off recorded in the
 * same millisecond as a miss for the same message is taken as the later one (the hand-off a
 * miss triggers carries the miss's time).
 */
export function missesInRow(outcomes: readonly OutcomeMark[]): number {
  const ordered = [...outcomes].sort(
    (a, b) =>
      b.at.getTime() - a.at.getTime() ||
      b.recordedAt.getTime() - a.recordedAt.getTime() ||
      rank(b.kind) - rank(a.kind),
  );
  let n = 0;
  for (const o of ordered) {
    if (o.kind !== 'missed') break;
    n++;
  }
  return n;
}

const rank = (kind: FaqOutcomeKind): number => (kind === 'missed' ? 0 : 1);

/**
 * The id of an outcome row: the same outcome of the same message (a redelivered event) gets the
 * same id, so it is recorded once.
 */
export function outcomeId(
  botId: string,
  chatId: string,
  kind: FaqOutcomeKind,
  at: Date,
  question: string,
): string {
  return createHash('sha256')
    .update([botId, chatId, kind, at.toISOString(), question].join('\u0000'))
    .digest('base64url')
    .slice(0, 32);
}

/** `YYYY-MM-DD` of `at` in UTC. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);
