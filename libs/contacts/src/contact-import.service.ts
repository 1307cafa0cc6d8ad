import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { checkTagCount, mergeAttributes } from './contact-fields.policy';
import { ContactChanges, ContactRepository } from './contact.repository';
import { ContactRecord } from './contact.schema';
import { contactLimitExceeded, ContactQuotaService } from './contact-quota.service';
import { ContactRow, CsvColumn, parseRow, resolveColumns, RowError, rowError } from './contact-row.policy';
import { newContact } from './contacts.service';

export const IMPORT_MAX_ROWS = 100_000;
export const IMPORT_MAX_ERRORS_LISTED = 100;
const BATCH = 500;

export interface ImportResult {
  created: number;
  updated: number;
  failed: number;
  /** The first IMPORT_MAX_ERRORS_LISTED row errors; `row` is the line in the file (header = 1). */
  errors: RowError[];
}

interface PendingRow {
  row: number;
  data: ContactRow;
}

/** State of one import run. */
class ImportRun {
  readonly result: ImportResult = { created: 0, updated: 0, failed: 0, errors: [] };

  constructor(public room: number | null) {}

  fail(error: RowError): void {
    this.result.failed++;
    if (this.result.errors.length < IMPORT_MAX_ERRORS_LISTED) this.result.errors.push(error);
  }
}

/**
 * CSV import: the file is parsed as a stream and applied in batches of BATCH rows, so memory
 * holds one batch, never the whole file. Good rows are upserted by phone, bad rows are reported
 * (not all-or-nothing). Rows that would create a contact once the plan's limit is reached fail
 * with plan_limit_exceeded; updates of existing contacts still apply.
 */
@Injectable()
export class ContactImportService {
  protected readonly maxRows: number = IMPORT_MAX_ROWS;

  constructor(
    private readonly contacts: ContactRepository,
    private readonly quota: ContactQuotaService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async import(scope: AccountScope, csv: Readable): Promise<ImportResult> {
    const { room, plan } = await this.quota.room(scope);
    const run = new ImportRun(room);
    const limitError = contactLimitExceeded(plan);
    const parser = csv.pipe(
      parse({
        bom: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        max_record_size: 64 * 1024,
        info: true,
      }),
    );
    parser.on('skip', (err: Error & { lines?: number }) =>
      run.fail({ row: err.lines ?? 0, code: 'invalid_csv_row', message: err.message }),
    );
    csv.on('error', (err) => parser.destroy(err));
    let columns: CsvColumn[] | null = null;
    let batch: PendingRow[] = [];
    const phones = new Set<string>();
    let rows = 0;
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = item.info.lines;
      if (!columns) {
        columns = resolveColumns(item.record);
        continue;
      }
      if (++rows > this.maxRows) {
        run.fail({
          row: line,
          code: 'too_many_rows',
          message: `an import reads at most ${this.maxRows} rows; this row and the rest were not read`,
        });
        break;
      }
      let data: ContactRow;
      try {
        data = parseRow(columns, item.record);
      } catch (err) {
        run.fail(rowError(line, err));
        continue;
      }
      // A phone twice in one batch would race itself; the later row is applied after the earlier.
      if (phones.has(data.phone) || batch.length >= BATCH) {
        await this.apply(scope, run, batch, limitError);
        batch = [];
        phones.clear();
      }
      batch.push({ row: line, data });
      phones.add(data.phone);
    }
    if (!columns)
      throw DomainError.invalid('invalid_csv', 'the file is empty: a header with a phone column is needed');
    await this.apply(scope, run, batch, limitError);
    return run.result;
  }

  private async apply(
    scope: AccountScope,
    run: ImportRun,
    batch: PendingRow[],
    limitError: DomainError,
  ): Promise<void> {
    if (batch.length === 0) return;
    const now = this.clock.now();
    const existing = new Map(
      (
        await this.contacts.findByPhones(
          scope,
          batch.map((r) => r.data.phone),
        )
      ).map((c) => [c.phone, c]),
    );
    const updates: { id: string; changes: ContactChanges; row: number }[] = [];
    const inserts: { doc: ContactRecord; row: PendingRow }[] = [];
    for (const pending of batch) {
      const current = existing.get(pending.data.phone);
      try {
        if (current) {
          updates.push({
            id: current._id,
            changes: changesFor(current, pending.data, now),
            row: pending.row,
          });
        } else if (run.room === 0) {
          run.fail({ row: pending.row, code: limitError.code, message: limitError.message });
        } else {
          inserts.push({ doc: this.newDoc(scope, pending.data, now), row: pending });
          if (run.room !== null) run.room--;
        }
      } catch (err) {
        run.fail(rowError(pending.row, err));
      }
    }
    const raced = await this.contacts.insertMany(
      scope,
      inserts.map((i) => i.doc),
    );
    run.result.created += inserts.length - raced.size;
    if (raced.size > 0) {
      // Created meanwhile by someone else: apply these rows as updates instead.
      const late = inserts.filter((_, i) => raced.has(i)).map((i) => i.row);
      if (run.room !== null) run.room += late.length;
      const found = new Map(
        (
          await this.contacts.findByPhones(
            scope,
            late.map((r) => r.data.phone),
          )
        ).map((c) => [c.phone, c]),
      );
      for (const pending of late) {
        const current = found.get(pending.data.phone);
        try {
          if (!current) throw new Error('the contact was created and deleted during the import');
          updates.push({
            id: current._id,
            changes: changesFor(current, pending.data, now),
            row: pending.row,
          });
        } catch (err) {
          run.fail(rowError(pending.row, err));
        }
      }
    }
    await this.contacts.updateMany(scope, updates);
    run.result.updated += updates.length;
  }

  private newDoc(scope: AccountScope, row: ContactRow, now: Date): ContactRecord {
    return newContact(this.ids, now, {
      phone: row.phone,
      accountId: scope.accountId,
      name: row.name ?? null,
      tags: row.tags ?? [],
      attributes: mergeAttributes({}, row.attributes),
      ...(row.timeZone ? { timeZone: row.timeZone } : {}),
      language: row.language ?? null,
      ...(row.optOut
        ? { optOut: { optedOut: true, at: now, reason: 'import', source: 'import' as const } }
        : {}),
    });
  }
}

/** An import row over an existing contact: non-empty cells set, tags are added, attributes merged. */
function changesFor(current: ContactRecord, row: ContactRow, now: Date): ContactChanges {
  const changes: ContactChanges = { updatedAt: now };
  if (row.name !== undefined) changes.name = row.name;
  if (row.tags?.length) changes.tags = checkTagCount([...new Set([...current.tags, ...row.tags])]);
  if (Object.keys(row.attributes).length)
    changes.attributes = mergeAttributes(current.attributes, row.attributes);
  if (row.timeZone !== undefined) changes.timeZone = row.timeZone;
  if (row.language !== undefined) changes.language = row.language;
  if (row.optOut && !current.optOut?.optedOut) {
    changes.optOut = { optedOut: true, at: now, reason: 'import', source: 'import' };
  }
  return changes;
}
