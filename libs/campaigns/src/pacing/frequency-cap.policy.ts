import { FrequencyCap } from './pacing.policy';

const HOUR_MS = 3_600_000;

/**
 * Sends that still count against the cap at `now`: those after now - perHours. Sends dated after
 * `now` count too; they are already claimed (scheduled by another campaign) and will happen.
 */
function counted(recentSends: readonly Date[], cap: FrequencyCap, now: Date): number[] {
  const from = now.getTime() - cap.perHours * HOUR_MS;
  return recentSends
    .map((d) => d.getTime())
    .filter((t) => t > from)
    .sort((a, b) => a - b);
}

/**
 * Whether one more message may go to a contact at `now`, given the times it was sent anything by
 * any campaign: fewer than `cap.max` in the sliding window of `cap.perHours`. No cap allows all.
 */
export function frequencyCapAllows(
  recentSends: readonly Date[],
  cap: FrequencyCap | null,
  now: Date,
): boolean {
  if (!cap) return true;
  return counted(recentSends, cap, now).length < cap.max;
}

/**
 * The earliest instant >= `now` at which frequencyCapAllows holds: `now` if it already does, else
 * when enough of the oldest counted sends have left the window. Campaigns defer a capped contact
 * to this time (or skip it with a reason when that is past the run's end), never lose it silently.
 */
export function nextAllowedAt(recentSends: readonly Date[], cap: FrequencyCap | null, now: Date): Date {
  if (!cap) return now;
  const times = counted(recentSends, cap, now);
  if (times.length < cap.max) return now;
  // The window must lose (count - max + 1) sends; the last of those to leave decides.
  const leaving = times[times.length - cap.max];
  return new Date(Math.max(now.getTime(), leaving + cap.perHours * HOUR_MS));
}
