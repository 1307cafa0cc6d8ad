import { DomainError } from '@wwb/runtime';

/** Local wall-clock window, "HH:mm" each; `end` before `start` crosses midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

/** At most `max` messages to one contact within any `perHours` sliding window, across campaigns. */
export interface FrequencyCap {
  max: number;
  perHours: number;
}

/**
 * How fast one WhatsApp connection may send. Unofficial sending gets numbers banned for bursts,
 * so every limit here exists to make the traffic look like a person typing, not a script.
 */
export interface PacingSettings {
  /** Average rate; each gap is 60/messagesPerMinute seconds give or take `jitter`. */
  messagesPerMinute: number;
  /** Fraction (0..0.9) by which each gap may randomly shrink or grow. */
  jitter: number;
  /** A break after this many sends in a row; null for none. */
  pauseEvery: number | null;
  pauseMinutes: number;
  /** Sends per local day (in the connection's zone) once the number is warmed up. */
  dailyCap: number;
  /** Daily caps for the first days of a new number (index 0 = its first day); empty for none. */
  warmup: readonly number[];
  /** In the recipient's zone; sends are deferred past it, never dropped. Null for none. */
  quietHours: QuietHours | null;
  frequencyCap: FrequencyCap | null;
}

/**
 * Safe defaults from the research note's pacing numbers (4-8/min with jitter, 5-15 min pause
 * every 30-50, 200-300/day to cold audiences, warm-up, quiet 21:00-09:00): the middle of each
 * range, so a user who changes nothing stays inside what the community reports as tolerated.
 */
export const DEFAULT_PACING: PacingSettings = Object.freeze({
  messagesPerMinute: 6,
  jitter: 0.3,
  pauseEvery: 40,
  pauseMinutes: 10,
  dailyCap: 250,
  warmup: Object.freeze([20, 40, 80, 150, 250]),
  quietHours: Object.freeze({ start: '21:00', end: '09:00' }),
  // One campaign message per contact per day: more is what recipients report as spam.
  frequencyCap: Object.freeze({ max: 1, perHours: 24 }),
});

/** Bounds checked by parsePacing, exported so the API can show them next to the settings. */
export const PACING_LIMITS = Object.freeze({
  messagesPerMinute: { min: 1, max: 60 },
  jitter: { min: 0, max: 0.9 },
  pauseEvery: { min: 1, max: 10_000 },
  pauseMinutes: { min: 1, max: 240 },
  dailyCap: { min: 1, max: 10_000 },
  warmupDays: { max: 60 },
  frequencyCapMax: { min: 1, max: 1_000 },
  frequencyCapPerHours: { min: 1, max: 720 },
});

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const KEYS: readonly (keyof PacingSettings)[] = [
  'messagesPerMinute',
  'jitter',
  'pauseEvery',
  'pauseMinutes',
  'dailyCap',
  'warmup',
  'quietHours',
  'frequencyCap',
];

/** `field` is a path inside the settings ("quietHours.start"); '' for the settings as a whole. */
const invalid = (field: string, message: string): DomainError =>
  DomainError.invalid('invalid_pacing', `${field === '' ? 'pacing' : `pacing.${field}`} ${message}`, {
    field: field === '' ? 'pacing' : field,
  });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

function numberIn(field: string, v: unknown, min: number, max: number, integer: boolean): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
  if (!ok || (integer && !Number.isInteger(v))) {
    const kind = integer ? 'a whole number' : 'a number';
    throw invalid(field, `must be ${kind} from ${min} to ${max} (got ${show(v)})`);
  }
  return v;
}

function rejectUnknown(field: string, v: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(v).find((k) => !allowed.includes(k));
  if (extra !== undefined) {
    const path = field === '' ? extra : `${field}.${extra}`;
    throw invalid(path, `is not a pacing setting (allowed: ${allowed.join(', ')})`);
  }
}

function hhmm(field: string, v: unknown): string {
  if (typeof v !== 'string' || !HHMM.test(v)) {
    throw invalid(field, `must be a time "HH:mm" from 00:00 to 23:59 (got ${show(v)})`);
  }
  return v;
}

function parseQuietHours(v: unknown, base: QuietHours | null): QuietHours | null {
  if (v === null) return null;
  if (!isRecord(v)) throw invalid('quietHours', `must be {"start":"HH:mm","end":"HH:mm"} or null`);
  rejectUnknown('quietHours', v, ['start', 'end']);
  const start = hhmm('quietHours.start', v.start ?? base?.start);
  const end = hhmm('quietHours.end', v.end ?? base?.end);
  if (start === end) throw invalid('quietHours', `is empty: start and end are both ${start}`);
  return { start, end };
}

function parseFrequencyCap(v: unknown, base: FrequencyCap | null): FrequencyCap | null {
  if (v === null) return null;
  if (!isRecord(v)) throw invalid('frequencyCap', `must be {"max":n,"perHours":h} or null`);
  rejectUnknown('frequencyCap', v, ['max', 'perHours']);
  const { frequencyCapMax: m, frequencyCapPerHours: h } = PACING_LIMITS;
  return {
    max: numberIn('frequencyCap.max', v.max ?? base?.max, m.min, m.max, true),
    perHours: numberIn('frequencyCap.perHours', v.perHours ?? base?.perHours, h.min, h.max, false),
  };
}

function parseWarmup(v: unknown): number[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw invalid('warmup', 'must be a list of daily caps, e.g. [20, 40, 80, 150, 250]');
  if (v.length > PACING_LIMITS.warmupDays.max) {
    throw invalid('warmup', `may cover at most ${PACING_LIMITS.warmupDays.max} days (got ${v.length})`);
  }
  const { min, max } = PACING_LIMITS.dailyCap;
  return v.map((cap, i) => numberIn(`warmup[${i}]`, cap, min, max, true));
}

/**
 * Merges a partial user object onto `base` (the safe defaults unless given) and validates every
 * field: 400 invalid_pacing naming the field (in the message and in `details.field`). Nested
 * objects merge too, so `{quietHours: {start: "22:00"}}` keeps the base end time; null turns a
 * limit off. Unknown fields are refused rather than ignored, so a typo never silently keeps a
 * default the user meant to change.
 */
export function parsePacing(input: unknown, base: PacingSettings = DEFAULT_PACING): PacingSettings {
  if (input === undefined || input === null) return clonePacing(base);
  if (!isRecord(input)) throw invalid('', 'must be an object of pacing settings');
  rejectUnknown('', input, KEYS);
  const has = (k: keyof PacingSettings): boolean => input[k] !== undefined;
  const L = PACING_LIMITS;
  const pick = <T>(k: keyof PacingSettings, parse: (v: unknown) => T, fallback: T): T =>
    has(k) ? parse(input[k]) : fallback;

  const nullableCount = (k: 'pauseEvery') => (v: unknown) =>
    v === null ? null : numberIn(k, v, L.pauseEvery.min, L.pauseEvery.max, true);

  return {
    messagesPerMinute: pick(
      'messagesPerMinute',
      (v) => numberIn('messagesPerMinute', v, L.messagesPerMinute.min, L.messagesPerMinute.max, false),
      base.messagesPerMinute,
    ),
    jitter: pick('jitter', (v) => numberIn('jitter', v, L.jitter.min, L.jitter.max, false), base.jitter),
    pauseEvery: pick('pauseEvery', nullableCount('pauseEvery'), base.pauseEvery),
    pauseMinutes: pick(
      'pauseMinutes',
      (v) => numberIn('pauseMinutes', v, L.pauseMinutes.min, L.pauseMinutes.max, false),
      base.pauseMinutes,
    ),
    dailyCap: pick(
      'dailyCap',
      (v) => numberIn('dailyCap', v, L.dailyCap.min, L.dailyCap.max, true),
      base.dailyCap,
    ),
    warmup: pick('warmup', parseWarmup, [...base.warmup]),
    quietHours: pick(
      'quietHours',
      (v) => parseQuietHours(v, base.quietHours),
      base.quietHours && { ...base.quietHours },
    ),
    frequencyCap: pick(
      'frequencyCap',
      (v) => parseFrequencyCap(v, base.frequencyCap),
      base.frequencyCap && { ...base.frequencyCap },
    ),
  };
}

function clonePacing(s: PacingSettings): PacingSettings {
  return {
    ...s,
    warmup: [...s.warmup],
    quietHours: s.quietHours && { ...s.quietHours },
    frequencyCap: s.frequencyCap && { ...s.frequencyCap },
  };
}

/**
 * The daily cap for a number `numberAgeDays` whole days after it was first connected (0 = its
 * first day): the warm-up step for that day, never above the settled dailyCap. An unknown or
 * negative age counts as a brand-new number, the safe side.
 */
export function effectiveDailyCap(settings: PacingSettings, numberAgeDays: number): number {
  const day = Number.isFinite(numberAgeDays) && numberAgeDays > 0 ? Math.floor(numberAgeDays) : 0;
  const step = settings.warmup[day];
  return step === undefined ? settings.dailyCap : Math.min(step, settings.dailyCap);
}
