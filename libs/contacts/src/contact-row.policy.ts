import { DomainError, isDomainError } from '@wwb/runtime';
import {
  AttributeValue,
  checkAttribute,
  checkTagCount,
  normaliseLanguage,
  normaliseName,
  normaliseTags,
  normaliseTimeZone,
} from './contact-fields.policy';
import type { ContactRecord } from './contact.schema';
import { normalisePhone } from './phone-number.policy';

/** The columns with a meaning of their own; any other column is an attribute. */
export const FIELD_COLUMNS = ['phone', 'name', 'tags', 'timeZone', 'language', 'optedOut'] as const;
type FieldColumn = (typeof FIELD_COLUMNS)[number];

/** Prefix that marks an attribute column explicitly (and lets an attribute be called "name"). */
export const ATTRIBUTE_PREFIX = 'attr.';

export type CsvColumn = { kind: 'field'; field: FieldColumn } | { kind: 'attribute'; name: string };

/** A valid CSV row: the fields whose cells were not empty. */
export interface ContactRow {
  phone: string;
  name?: string;
  tags?: string[];
  timeZone?: string;
  language?: string;
  /** true opts the contact out; false and an empty cell leave the state as it is. */
  optOut?: true;
  attributes: Record<string, AttributeValue>;
}

export interface RowError {
  row: number;
  code: string;
  message: string;
}

const invalidCsv = (message: string, details?: unknown) =>
  DomainError.invalid('invalid_csv', message, details);

/**
 * Spreadsheets read a cell starting with one of these as a formula (CSV injection: a name
 * `=HYPERLINK(...)` would run when the export is opened). Phones start with `+`.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/**
 * Export: a cell a spreadsheet would read as a formula gets a leading `'` (shown as text, the
 * quote hidden). A cell with quotes before such a character gets one more, so that unguardCell
 * gives back exactly the original text.
 */
export function guardCell(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Import: drops the `'` guardCell (or a spreadsheet user) put before a formula character. */
export function unguardCell(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}

/**
 * The meaning of each header cell: the field columns (any case), `attr.<name>` and any other
 * name as an attribute. 400 invalid_csv without a phone column, with a repeated column or an
 * attribute name a template could not use.
 */
export function resolveColumns(header: readonly string[]): CsvColumn[] {
  const seen = new Set<string>();
  const columns = header.map((cell): CsvColumn => {
    const name = cell.trim();
    const field = FIELD_COLUMNS.find((f) => f.toLowerCase() === name.toLowerCase());
    const column: CsvColumn = field
      ? { kind: 'field', field }
      : {
          kind: 'attribute',
          name: name.startsWith(ATTRIBUTE_PREFIX) ? name.slice(ATTRIBUTE_PREFIX.length) : name,
        };
    const key = column.kind === 'field' ? column.field : `attr.${column.name}`;
    if (seen.has(key)) throw invalidCsv(`column "${name}" appears twice`, { column: name });
    seen.add(key);
    if (column.kind === 'attribute') {
      try {
        checkAttribute(column.name, null);
      } catch {
        throw invalidCsv(
          `column "${name}" is not a field (${FIELD_COLUMNS.join(', ')}) nor a valid attribute name`,
          {
            column: name,
          },
        );
      }
    }
    return column;
  });
  if (!seen.has('phone')) throw invalidCsv('the first line must be a header with a phone column');
  return columns;
}

/** CSV cells are text: "true"/"false" become booleans and plain decimals numbers, the rest stays text. */
export function attributeFromCell(cell: string): AttributeValue {
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  if (/^-?(0|[1-9]\d{0,14})(\.\d{1,6})?$/.test(cell)) return Number(cell);
  return cell;
}

/** Tags in one cell, separated by `;`, `,`, `|` or spaces. */
export function tagsFromCell(cell: string): string[] {
  return cell.split(/[\s,;|]+/).filter(Boolean);
}

/** A data row, or a thrown DomainError whose code and message become the row error. */
export function parseRow(columns: readonly CsvColumn[], record: readonly string[]): ContactRow {
  let phone: string | undefined;
  const row: Omit<ContactRow, 'phone'> = { attributes: {} };
  columns.forEach((column, i) => {
    const cell = unguardCell((record[i] ?? '').trim());
    if (cell === '') return;
    if (column.kind === 'attribute') {
      row.attributes[column.name] = checkAttribute(column.name, attributeFromCell(cell));
      return;
    }
    switch (column.field) {
      case 'phone':
        phone = normalisePhone(cell);
        break;
      case 'name':
        row.name = normaliseName(cell) ?? undefined;
        break;
      case 'tags':
        row.tags = checkTagCount(normaliseTags(tagsFromCell(cell)));
        break;
      case 'timeZone':
        row.timeZone = normaliseTimeZone(cell);
        break;
      case 'language':
        row.language = normaliseLanguage(cell);
        break;
      case 'optedOut':
        if (!/^(true|false|yes|no|1|0)$/i.test(cell)) {
          throw DomainError.invalid('invalid_opted_out', 'optedOut must be true or false');
        }
        if (/^(true|yes|1)$/i.test(cell)) row.optOut = true;
        break;
    }
  });
  if (phone === undefined) throw DomainError.invalid('invalid_phone', 'the phone cell is empty');
  return { phone, ...row };
}

/** The row error of a thrown error (a DomainError keeps its code). */
export function rowError(row: number, err: unknown): RowError {
  if (isDomainError(err)) return { row, code: err.code, message: err.message };
  return { row, code: 'invalid_row', message: err instanceof Error ? err.message : String(err) };
}

/** Export: header of the field columns, then `attr.<name>` per attribute. */
export function exportHeader(attributeNames: readonly string[]): string[] {
  return [...FIELD_COLUMNS, ...attributeNames.map((n) => `${ATTRIBUTE_PREFIX}${n}`)];
}

/**
 * Export: one contact in the columns of exportHeader, readable again by the import; cells that
 * look like formulas are guarded (guardCell).
 */
export function exportRecord(contact: ContactRecord, attributeNames: readonly string[]): string[] {
  const cells = [
    contact.phone,
    contact.name ?? '',
    contact.tags.join(';'),
    contact.timeZone,
    contact.language ?? '',
    String(contact.optOut?.optedOut ?? false),
    ...attributeNames.map((n) => {
      const v = contact.attributes?.[n];
      return v === undefined || v === null ? '' : String(v);
    }),
  ];
  return cells.map(guardCell);
}
