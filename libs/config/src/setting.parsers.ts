/** Small, typed parsers for environment settings. Each returns the value or throws a message. */
import { readFileSync } from 'node:fs';
export type Parser<T> = (raw: string) => T;

export class SettingError extends Error {}

export const str =
  (opts: { minLength?: number } = {}): Parser<string> =>
  (raw) => {
    if (opts.minLength !== undefined && raw.length < opts.minLength) {
      throw new SettingError(`must be at least ${opts.minLength} characters long`);
    }
    return raw;
  };

export const int =
  (opts: { min?: number; max?: number } = {}): Parser<number> =>
  (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new SettingError(`must be an integer, got "${raw}"`);
    const n = Number(raw);
    if (opts.min !== undefined && n < opts.min) throw new SettingError(`must be >= ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) throw new SettingError(`must be <= ${opts.max}, got ${n}`);
    return n;
  };

/** A decimal number (e.g. `0.001`), within bounds. */
export const num =
  (opts: { min?: number; max?: number } = {}): Parser<number> =>
  (raw) => {
    if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(raw.trim()))
      throw new SettingError(`must be a number, got "${raw}"`);
    const n = Number(raw);
    if (opts.min !== undefined && n < opts.min) throw new SettingError(`must be >= ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) throw new SettingError(`must be <= ${opts.max}, got ${n}`);
    return n;
  };

export const bool: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new SettingError(`must be true or false, got "${raw}"`);
};

export const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new SettingError(`must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  };

/** A comma-separated list of allowed values, at least one, without duplicates (order kept). */
export const listOf =
  <T extends string>(values: readonly T[]): Parser<T[]> =>
  (raw) => {
    const items = [
      ...new Set(
        raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (items.length === 0) throw new SettingError(`must list at least one of ${values.join(', ')}`);
    for (const item of items) {
      if (!(values as readonly string[]).includes(item)) {
        throw new SettingError(`must be a comma-separated list of ${values.join(', ')}, got "${item}"`);
      }
    }
    return items as T[];
  };

/** A comma-separated list of free-form items (may be empty), trimmed, without duplicates. */
export const csv: Parser<string[]> = (raw) => [
  ...new Set(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

export const url =
  (protocols: string[]): Parser<string> =>
  (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new SettingError(`must be a URL, got "${redactUrl(raw)}"`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new SettingError(`must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
    }
    return raw;
  };

export const hostPortList: Parser<string[]> = (raw) => {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new SettingError('must list at least one host:port');
  for (const item of items) {
    if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(item)) throw new SettingError(`"${item}" is not host:port`);
  }
  return items;
};

/** Hides credentials in a URL so that it can appear in an error message or a log line. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^/@]*)@/, '//***@');
}

/**
 * A path to a PEM file of CA certificates, read at start-up (empty = none). Returns the PEM
 * text; a missing file or one without a certificate is a setting error.
 */
export const pemFile: Parser<string | undefined> = (raw) => {
  const path = raw.trim();
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SettingError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new SettingError(`${path} holds no PEM certificate`);
  return text;
};

/** One setting: how its text is parsed, whether it is secret or optional, and its documentation. */
export interface SettingSpec<T> {
  parse: Parser<T>;
  /** A secret is never printed, not even in a validation error. */
  secret?: boolean;
  /** Optional settings may be absent (no default and no environment value). */
  optional?: boolean;
  doc: string;
}

export const spec = <T>(s: SettingSpec<T>): SettingSpec<T> => s;
