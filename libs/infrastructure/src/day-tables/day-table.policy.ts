/**
 * Day tables: counters and short-lived state kept in one collection per UTC day
 * (`<prefix>YYYYMMDD`). FerretDB (SQLite) filters by scanning the table, `_id` included: a
 * table holding one day keeps every read and `$inc` small whatever the history, a time range
 * reads one table per day, and retention drops whole tables instead of deleting documents.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const floorDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** `<prefix>YYYYMMDD` of the UTC day of `ms`. */
export const dayTableOf = (prefix: string, ms: number): string =>
  prefix + new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** The UTC midnight of a day table of `prefix`, or undefined for any other name. */
export function dayOfTable(prefix: string, name: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(name.slice(prefix.length));
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** The field of the UTC hour of `ms` in its day's document: `h00`..`h23`. */
export const hourFieldOf = (ms: number): string => `h${String(new Date(ms).getUTCHours()).padStart(2, '0')}`;

/** The UTC midnights from the day of `fromMs` to the day of `toMs`, both included. */
export function daysBetween(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let day = floorDay(fromMs); day <= toMs; day += DAY_MS) out.push(day);
  return out;
}

/** The hour fields (`h00`..`h23`) of a day document that hold an object, with their start. */
export function hourFieldsOf<T>(doc: object, dayMs: number): { startMs: number; counters: T }[] {
  const fields = doc as Record<string, unknown>;
  const out: { startMs: number; counters: T }[] = [];
  for (let h = 0; h < 24; h++) {
    const counters = fields[`h${String(h).padStart(2, '0')}`];
    if (counters && typeof counters === 'object')
      out.push({ startMs: dayMs + h * HOUR_MS, counters: counters as T });
  }
  return out;
}
