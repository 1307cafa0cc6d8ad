import type { HelperOptions } from 'handlebars';

/** What a render knows besides the data: the reader's language, zone and "now". */
export interface RenderSettings {
  readonly locale: string;
  readonly timeZone: string;
  readonly now: Date;
}

/** Helpers usable as `{{name ...}}` or `(name ...)`; never as blocks. */
export const INLINE_HELPERS = [
  'default',
  'upper',
  'lower',
  'truncate',
  'formatDate',
  'formatNumber',
  'currency',
  'plural',
  'eq',
] as const;

/** Handlebars' block helpers we keep; every other builtin (lookup, log) is removed. */
export const BLOCK_HELPERS = ['if', 'unless', 'each', 'with'] as const;

export type InlineHelperName = (typeof INLINE_HELPERS)[number];

type Hash = Record<string, unknown>;
type Helper = (...args: unknown[]) => unknown;

const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;
type DateStyle = (typeof DATE_STYLES)[number];
const DATE_FORMATS = ['date', 'time', 'datetime'] as const;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Handlebars passes the options object last; `params` are what the template wrote before it. */
function split(args: unknown[]): { params: unknown[]; hash: Hash } {
  const options = args[args.length - 1] as HelperOptions | undefined;
  return { params: args.slice(0, -1), hash: (options?.hash ?? {}) as Hash };
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function optionalString(hash: Hash, key: string): string | undefined {
  const value = hash[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`${key}= must be a non-empty string`);
  return value;
}

function toNumber(helper: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new Error(`${helper}: ${JSON.stringify(value) ?? 'undefined'} is not a number`);
  }
  return n;
}

function toDate(params: unknown[], now: Date): Date {
  const value = params[0];
  let date: Date | undefined;
  if (params.length === 0 || value === 'now') date = now;
  else if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string' && value.trim() !== '') date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) {
    throw new Error(`formatDate: ${JSON.stringify(value) ?? 'undefined'} is not a date`);
  }
  return date;
}

function digits(hash: Hash, key: string): number | undefined {
  const value = hash[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 20) {
    throw new Error(`${key}= must be an integer from 0 to 20`);
  }
  return value;
}

/**
 * Intl formatters are slow to build and immutable: keep the recent ones (bounded, so a
 * template cannot grow it without end through hash arguments).
 */
class FormatterMemo<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly max = 256) {}

  get(key: string, create: () => T): T {
    let value = this.entries.get(key);
    if (value === undefined) {
      value = create();
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, value);
    }
    return value;
  }
}

const dateFormats = new FormatterMemo<Intl.DateTimeFormat>();
const numberFormats = new FormatterMemo<Intl.NumberFormat>();
const pluralRules = new FormatterMemo<Intl.PluralRules>();
const segmenters = new FormatterMemo<Intl.Segmenter>(16);

function formatDate(settings: RenderSettings, params: unknown[], hash: Hash): string {
  const value = params[0];
  const date = toDate(params, settings.now);
  const style = (optionalString(hash, 'style') ?? 'medium') as DateStyle;
  if (!DATE_STYLES.includes(style)) throw new Error(`style= must be one of ${DATE_STYLES.join(', ')}`);
  const format = optionalString(hash, 'format') ?? 'date';
  if (!(DATE_FORMATS as readonly string[]).includes(format)) {
    throw new Error(`format= must be one of ${DATE_FORMATS.join(', ')}`);
  }
  const locale = optionalString(hash, 'locale') ?? settings.locale;
  // A calendar date ("2026-03-29") names a day, not an instant: shown in any zone it would
  // move to the day before west of Greenwich.
  const zone =
    typeof value === 'string' && DATE_ONLY.test(value) && format === 'date'
      ? 'UTC'
      : (optionalString(hash, 'timeZone') ?? settings.timeZone);
  const options: Intl.DateTimeFormatOptions = { timeZone: zone };
  if (format !== 'time') options.dateStyle = style;
  if (format !== 'date') options.timeStyle = style;
  return dateFormats
    .get(`${locale}|${zone}|${format}|${style}`, () => new Intl.DateTimeFormat(locale, options))
    .format(date);
}

function formatNumber(settings: RenderSettings, value: unknown, hash: Hash): string {
  const n = toNumber('formatNumber', value);
  const locale = optionalString(hash, 'locale') ?? settings.locale;
  const style = optionalString(hash, 'style') ?? 'decimal';
  if (style !== 'decimal' && style !== 'percent') throw new Error('style= must be decimal or percent');
  const min = digits(hash, 'minimumFractionDigits');
  const max = digits(hash, 'maximumFractionDigits');
  const options: Intl.NumberFormatOptions = { style };
  if (min !== undefined) options.minimumFractionDigits = min;
  if (max !== undefined) options.maximumFractionDigits = Math.max(max, min ?? 0);
  return numberFormats
    .get(`${locale}|${style}|${min}|${max}`, () => new Intl.NumberFormat(locale, options))
    .format(n);
}

function currency(settings: RenderSettings, params: unknown[], hash: Hash): string {
  const amount = toNumber('currency', params[0]);
  const code = params[1] ?? hash.code;
  if (typeof code !== 'string' || !/^[A-Za-z]{3}$/.test(code)) {
    throw new Error('currency needs an ISO 4217 code: {{currency amount "EUR"}}');
  }
  const locale = optionalString(hash, 'locale') ?? settings.locale;
  const display = optionalString(hash, 'display') ?? 'symbol';
  if (!['symbol', 'narrowSymbol', 'code', 'name'].includes(display)) {
    throw new Error('display= must be symbol, narrowSymbol, code or name');
  }
  const key = `${locale}|${code}|${display}`;
  return numberFormats
    .get(
      key,
      () =>
        new Intl.NumberFormat(locale, {
          style: 'currency',
          currency: code.toUpperCase(),
          currencyDisplay: display as Intl.NumberFormatOptions['currencyDisplay'],
        }),
    )
    .format(amount);
}

function plural(settings: RenderSettings, value: unknown, hash: Hash): string {
  const n = toNumber('plural', value);
  const locale = optionalString(hash, 'locale') ?? settings.locale;
  const category = pluralRules.get(locale, () => new Intl.PluralRules(locale)).select(n);
  const text = hash[category] ?? hash.other;
  if (typeof text !== 'string') throw new Error('plural needs at least other="..."');
  // As in ICU messages, '#' stands for the number itself.
  return text.includes('#') ? text.split('#').join(formatNumber(settings, n, { locale })) : text;
}

function truncate(settings: RenderSettings, params: unknown[], hash: Hash): string {
  const text = str(params[0]);
  const length = params[1] ?? hash.length ?? 100;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) {
    throw new Error('truncate: length must be a positive integer');
  }
  const suffix = str(params[2] ?? hash.suffix ?? '…');
  // Graphemes, so that an emoji or an accented letter is never cut in half.
  const segmenter = segmenters.get(settings.locale, () => new Intl.Segmenter(settings.locale));
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  if (graphemes.length <= length) return text;
  const suffixLength = Array.from(segmenter.segment(suffix)).length;
  return graphemes.slice(0, Math.max(0, length - suffixLength)).join('') + suffix;
}

/** The inline helpers, reading the current render's settings through `settings()`. */
export function inlineHelpers(settings: () => RenderSettings): Record<InlineHelperName, Helper> {
  return {
    default: (...args) => {
      const { params } = split(args);
      const value = params[0];
      return value === undefined || value === null || value === '' ? (params[1] ?? '') : value;
    },
    upper: (...args) => str(split(args).params[0]).toLocaleUpperCase(settings().locale),
    lower: (...args) => str(split(args).params[0]).toLocaleLowerCase(settings().locale),
    truncate: (...args) => {
      const { params, hash } = split(args);
      return truncate(settings(), params, hash);
    },
    formatDate: (...args) => {
      const { params, hash } = split(args);
      return formatDate(settings(), params, hash);
    },
    formatNumber: (...args) => {
      const { params, hash } = split(args);
      return formatNumber(settings(), params[0], hash);
    },
    currency: (...args) => {
      const { params, hash } = split(args);
      return currency(settings(), params, hash);
    },
    plural: (...args) => {
      const { params, hash } = split(args);
      return plural(settings(), params[0], hash);
    },
    eq: (...args) => {
      const { params } = split(args);
      if (params.length !== 2) throw new Error('eq needs two values: (eq a b)');
      return params[0] === params[1];
    },
  };
}
