import { parse } from 'csv-parse/sync';
import { tryNormalisePhone } from '@wwb/contacts';
import { DomainError } from '@wwb/runtime';
import type { BulkVariable } from './bulk-row.schema';

/** Most recipients one bulk request may carry (413 too_many_recipients past it). */
export const BULK_MAX_ROWS = 100_000;
/** Row errors answered in the 202; the count of rejected rows is always complete. */
export const BULK_ERRORS_SHOWN = 100;
/** Per row: at most this many variables, each string at most this long. */
export const BULK_MAX_VARIABLES = 50;
export const BULK_MAX_VALUE_LENGTH = 1_000;

export const BULK_ROW_ERROR_CODES = ['invalid_phone', 'duplicate_phone', 'invalid_variables'] as const;
export type BulkRowErrorCode = (typeof BULK_ROW_ERROR_CODES)[number];

export interface BulkRowError {
  /** 1-based position among the recipients (CSV: among the data lines after the header). */
  row: number;
  code: BulkRowErrorCode;
  message: string;
}

export interface AcceptedRow {
  n: number;
  phone: string;
  variables: Record<string, BulkVariable>;
}

export interface BulkRows {
  accepted: AcceptedRow[];
  rejected: number;
  /** The first BULK_ERRORS_SHOWN errors, in row order. */
  errors: BulkRowError[];
}

// Same rule as a campaign's variable names, so a template reads {{<column>}} the same way.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const PHONE_COLUMNS = new Set(['phone', 'to']);

export const tooManyRecipients = (): DomainError =>
  new DomainError(
    'too_large',
    'too_many_recipients',
    `recipients: a bulk send takes at most ${BULK_MAX_ROWS} rows`,
    { field: 'recipients', max: BULK_MAX_ROWS },
  );

const invalidCsv = (message: string): DomainError =>
  DomainError.invalid('invalid_csv', message, { field: 'file' });

/**
 * Checks rows one by one: the phone normalised to E.164 (`invalid_phone`), a phone already
 * accepted earlier in the request (`duplicate_phone`: the first row wins), variables a flat
 * object of strings, finite numbers and booleans with identifier names (`invalid_variables`).
 * A bad row is counted and reported; it never stops the others.
 */
export class BulkRowCollector {
  private readonly phones = new Set<string>();
  private readonly out: BulkRows = { accepted: [], rejected: 0, errors: [] };

  add(row: number, to: unknown, variables: unknown): void {
    const phone = typeof to === 'string' ? tryNormalisePhone(to) : null;
    if (!phone) {
      return this.reject(
        row,
        'invalid_phone',
        `row ${row}: "to" must be an international number (E.164, e.g. +15551234567)`,
      );
    }
    if (this.phones.has(phone)) {
      return this.reject(row, 'duplicate_phone', `row ${row}: ${phone} is already in an earlier row`);
    }
    const checked = checkVariables(variables);
    if (typeof checked === 'string') return this.reject(row, 'invalid_variables', `row ${row}: ${checked}`);
    this.phones.add(phone);
    this.out.accepted.push({ n: row, phone, variables: checked });
  }

  get rows(): number {
    return this.out.accepted.length + this.out.rejected;
  }

  result(): BulkRows {
    return this.out;
  }

  private reject(row: number, code: BulkRowErrorCode, message: string): void {
    this.out.rejected += 1;
    if (this.out.errors.length < BULK_ERRORS_SHOWN) this.out.errors.push({ row, code, message });
  }
}

/** The variables of a row, or why they are refused. */
function checkVariables(input: unknown): Record<string, BulkVariable> | string {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) return 'variables must be an object';
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > BULK_MAX_VARIABLES) return `at most ${BULK_MAX_VARIABLES} variables per row`;
  const out: Record<string, BulkVariable> = {};
  for (const [name, value] of entries) {
    if (!VARIABLE_NAME.test(name) || name === 'contact') {
      return `variables.${name.slice(0, 64)}: a name is letters, digits and _ (not "contact")`;
    }
    const flat =
      (typeof value === 'string' && value.length <= BULK_MAX_VALUE_LENGTH) ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      typeof value === 'boolean';
    if (!flat) {
      return `variables.${name}: must be a string (at most ${BULK_MAX_VALUE_LENGTH} characters), a number or a boolean`;
    }
    out[name] = value as BulkVariable;
  }
  return out;
}

/** JSON recipients `[{to, variables?}]`; 413 too_many_recipients past BULK_MAX_ROWS. */
export function collectJsonRows(recipients: readonly unknown[]): BulkRows {
  if (recipients.length > BULK_MAX_ROWS) throw tooManyRecipients();
  const rows = new BulkRowCollector();
  recipients.forEach((r, i) => {
    const item =
      typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
    rows.add(i + 1, item.to, item.variables);
  });
  return rows.result();
}

/**
 * CSV with a header line: a `phone` (or `to`) column, every other column a variable of that
 * name. An empty cell leaves its variable out for that row, so a template that needs it reports
 * the row skipped (template_render_failed) instead of sending a blank.
 * 400 invalid_csv for a missing header or phone column, a bad column name, a malformed line.
 */
export function collectCsvRows(text: string): BulkRows {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      max_record_size: 64 * 1024,
      relax_column_count: true,
    });
  } catch (err) {
    throw invalidCsv(`the CSV could not be read: ${(err as Error).message}`);
  }
  const [header, ...lines] = records;
  if (!header) throw invalidCsv('the file is empty: a header with a phone column is needed');
  const names = header.map((h) => h.trim());
  const phoneAt = names.findIndex((n) => PHONE_COLUMNS.has(n.toLowerCase()));
  if (phoneAt < 0) throw invalidCsv('the header needs a "phone" (or "to") column');
  const bad = names.filter((n, i) => i !== phoneAt && (!VARIABLE_NAME.test(n) || n === 'contact'));
  if (bad.length) {
    throw invalidCsv(
      `column ${bad.map((b) => `"${b.slice(0, 64)}"`).join(', ')}: a variable name is letters, digits and _`,
    );
  }
  if (new Set(names).size !== names.length) throw invalidCsv('the header names a column twice');
  if (lines.length > BULK_MAX_ROWS) throw tooManyRecipients();
  const rows = new BulkRowCollector();
  lines.forEach((cells, i) => {
    const variables: Record<string, string> = {};
    names.forEach((name, c) => {
      const cell = cells[c];
      if (c !== phoneAt && cell !== undefined && cell !== '') variables[name] = cell;
    });
    rows.add(i + 1, cells[phoneAt] ?? '', variables);
  });
  return rows.result();
}
