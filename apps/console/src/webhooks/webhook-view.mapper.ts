import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type Delivery = Schemas['DeliveryDto'];
export type DeliveryDetail = Schemas['DeliveryDetailDto'];
export type Attempt = Schemas['AttemptDto'];
export type WebhookStats = Schemas['WebhookStatsDto'];
export type ReplayJob = Schemas['ReplayJobDto'];

export type Tone = 'ok' | 'wait' | 'bad' | 'off';

/** The badge colour of a delivery or attempt state; the word beside it carries the meaning. */
export function toneOf(state: string): Tone {
  if (state === 'delivered' || state === 'enabled') return 'ok';
  if (state === 'pending' || state === 'retrying') return 'wait';
  if (state === 'failed') return 'bad';
  return 'off';
}

export function formatRate(rate: number | null, locale?: string): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** Milliseconds below a second, seconds above (a latency of 1200 ms reads 1.2 s). */
export function formatMs(ms: number | null | undefined, locale?: string): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${new Intl.NumberFormat(locale).format(Math.round(ms))} ms`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A date as a datetime-local input shows it: the viewer's wall clock, to the minute. */
export function toLocalInput(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/**
 * A datetime-local value (the viewer's wall clock, no zone) as an instant: a date-time string
 * without an offset is local time to Date. Null when it is empty or no date.
 */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export type ReplayField = 'since' | 'until';

/** A replay window the API would take, or the field to fix: a start, before the end, not ahead. */
export function replayWindow(
  since: string,
  until: string,
  now: Date,
): { ok: true; since: string; until?: string } | { ok: false; field: ReplayField; message: string } {
  const from = fromLocalInput(since);
  if (!from) return { ok: false, field: 'since', message: 'Choose when the window starts.' };
  if (new Date(from) > now) return { ok: false, field: 'since', message: 'The start is in the future.' };
  if (!until) return { ok: true, since: from };
  const to = fromLocalInput(until);
  if (!to) return { ok: false, field: 'until', message: 'Choose a valid end, or leave it empty for now.' };
  if (to <= from) return { ok: false, field: 'until', message: 'The end must be after the start.' };
  return { ok: true, since: from, until: to };
}

/** Progress of a replay, as a sentence. */
export function replayProgress(job: ReplayJob): string {
  const count = `${job.deliveries} ${job.deliveries === 1 ? 'delivery' : 'deliveries'}`;
  return job.done
    ? `Replay done: ${count} created.`
    : `Replaying: ${job.partitionsDone} of ${job.partitions} partitions, ${count} so far.`;
}
