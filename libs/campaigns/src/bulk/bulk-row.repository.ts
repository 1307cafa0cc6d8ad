import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { BULK_ROW_MODEL, BulkRowRecord } from './bulk-row.schema';

/** Rows per insertMany and per page read: bounded round trips and memory at 100,000 rows. */
export const BULK_ROW_BATCH = 1_000;

/** The accepted rows of bulk send jobs (`bulk_rows`). */
@Injectable()
export class BulkRowRepository {
  constructor(@InjectModel(BULK_ROW_MODEL) private readonly rows: Model<BulkRowRecord>) {}

  async insert(rows: readonly BulkRowRecord[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BULK_ROW_BATCH) {
      await this.rows.insertMany(rows.slice(i, i + BULK_ROW_BATCH), { ordered: false, lean: true });
    }
  }

  /** A job's rows in `n` order, a page at a time (keyset on `n`, no skip). */
  async *stream(scope: AccountScope, jobId: string): AsyncGenerator<BulkRowRecord> {
    let after = 0;
    for (;;) {
      const page = await this.rows
        .find({ jobId, accountId: scope.accountId, n: { $gt: after } })
        .sort({ n: 1 })
        .limit(BULK_ROW_BATCH)
        .lean<BulkRowRecord[]>()
        .exec();
      yield* page;
      if (page.length < BULK_ROW_BATCH) return;
      after = page[page.length - 1]!.n;
    }
  }

  async deleteJob(scope: AccountScope, jobId: string): Promise<void> {
    await this.rows.deleteMany({ jobId, accountId: scope.accountId }).exec();
  }
}
