import type { AnalyticsReport, CampaignState, RunReport } from './campaign.dto';

export type Tone = 'ok' | 'wait' | 'bad' | 'off';

const CAMPAIGN_TONES: Readonly<Record<CampaignState, Tone>> = {
  active: 'ok',
  paused: 'wait',
  cancelled: 'bad',
  completed: 'off',
};
export const campaignTone = (state: string): Tone => CAMPAIGN_TONES[state as CampaignState] ?? 'off';

const RUN_TONES: Readonly<Record<string, Tone>> = {
  planning: 'wait',
  running: 'wait',
  completed: 'ok',
  cancelled: 'bad',
};
export const runTone = (state: string): Tone => RUN_TONES[state] ?? 'off';

/** "completed" -> "Completed", "run_once" -> "Run once". */
export const label = (word: string): string => {
  const spaced = word.replace(/_/g, ' ');
  return spaced ? spaced[0]!.toUpperCase() + spaced.slice(1) : spaced;
};

export const isRunOver = (state: string): boolean => state === 'completed' || state === 'cancelled';

/** What GET .../runs/{runId}/progress sends as `progress` every 2 s. */
export interface RunProgress {
  runId: string;
  state: string;
  targeted: number;
  skipped: number;
  sent: number;
  failed: number;
  remaining: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** A progress event's data, or null when it is not one. */
export function parseProgress(data: string): RunProgress | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const counts = ['targeted', 'skipped', 'sent', 'failed', 'remaining'] as const;
  if (typeof v.runId !== 'string' || typeof v.state !== 'string' || !counts.every((k) => isCount(v[k]))) {
    return null;
  }
  return v as unknown as RunProgress;
}

/** The same figures from the run's report, for when the live stream is refused. */
export function progressOfReport(r: RunReport): RunProgress {
  const c = r.counts;
  return {
    runId: r.id,
    state: r.state,
    targeted: Object.values(c).reduce((a, b) => a + b, 0),
    skipped: c.skipped,
    sent: c.sent + c.delivered + c.read + c.unknown,
    failed: c.failed,
    remaining: c.pending + c.queued,
  };
}

/** Share of the recipients handled (sent, skipped or failed), 0..1. */
export const handledShare = (p: RunProgress): number =>
  p.targeted === 0 ? (isRunOver(p.state) ? 1 : 0) : Math.min(1, (p.targeted - p.remaining) / p.targeted);

export interface FunnelStep {
  stage: string;
  count: number;
}

/**
 * Each recipient counts in every stage it reached: a read message was sent and delivered.
 * Replies come from analytics (counted from inbound messages), when it has them.
 */
export function funnelOf(r: RunReport, replied: number | null): FunnelStep[] {
  const c = r.counts;
  const steps: FunnelStep[] = [
    { stage: 'Targeted', count: Object.values(c).reduce((a, b) => a + b, 0) },
    { stage: 'Sent', count: c.sent + c.delivered + c.read },
    { stage: 'Delivered', count: c.delivered + c.read },
    { stage: 'Read', count: c.read },
  ];
  if (replied !== null) steps.push({ stage: 'Replied', count: replied });
  return steps;
}

export interface DayRow {
  date: string;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}

export const SERIES = ['sent', 'delivered', 'read', 'replied', 'failed'] as const;

export const dailyRows = (a: AnalyticsReport): DayRow[] =>
  a.days.map((d) => ({
    date: d.date,
    sent: d.sent,
    delivered: d.delivered,
    read: d.read,
    replied: d.replied,
    failed: d.failed,
  }));

/** "YYYY-MM-DD" of `instant` in `zone`. */
export function dayIn(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

const DAY_MS = 86_400_000;
/** The analytics API answers at most 366 days. */
const MAX_DAYS = 366;

/**
 * The days to ask analytics for: from the day something started (a run's creation) to today, in
 * the viewer's zone, at most the last 366 days; at least the last `minDays`.
 */
export function analyticsRange(
  since: string,
  now: Date,
  zone: string,
  minDays = 1,
): { from: string; to: string; timeZone: string } {
  const start = new Date(since);
  const earliest = new Date(now.getTime() - (MAX_DAYS - 1) * DAY_MS);
  const latestStart = new Date(now.getTime() - (minDays - 1) * DAY_MS);
  let from = Number.isNaN(start.getTime()) ? latestStart : start;
  if (from > latestStart) from = latestStart;
  if (from < earliest) from = earliest;
  return { from: dayIn(from, zone), to: dayIn(now, zone), timeZone: zone };
}
