import { WebhookSecretRecord } from './webhook-endpoint.schema';

/** How long a replaced secret keeps signing. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

/**
 * The secrets that sign now, newest first: the newest always; an older one while its successor
 * is younger than the overlap. `expired`: those that sign no more.
 */
export function signingSecrets(
  secrets: readonly Pick<WebhookSecretRecord, '_id' | 'secret' | 'createdAt'>[],
  nowMs: number,
): { active: string[]; expiredIds: string[] } {
  const sorted = [...secrets].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : 1),
  );
  const active: string[] = [];
  const expiredIds: string[] = [];
  sorted.forEach((s, i) => {
    const next = sorted[i + 1];
    if (!next || next.createdAt.getTime() + SECRET_OVERLAP_MS > nowMs) active.unshift(s.secret);
    else expiredIds.push(s._id);
  });
  return { active, expiredIds };
}
