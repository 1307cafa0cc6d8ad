import { Schema } from 'mongoose';

export const BULK_ROW_MODEL = 'BulkRow';

/** A variable value of a bulk row: flat, as a CSV cell or a JSON scalar. */
export type BulkVariable = string | number | boolean;

/**
 * One accepted recipient of a bulk send job (`_id` = `<jobId>/<n>`, `n` its 1-based position
 * among the request's rows): written once when the job is accepted, read in `n` order by the
 * planner. Rejected rows are never stored; they are answered in the 202.
 */
export interface BulkRowRecord {
  _id: string;
  accountId: string;
  jobId: string;
  n: number;
  /** E.164. */
  phone: string;
  variables: Record<string, BulkVariable>;
}

export const BulkRowSchema = new Schema<BulkRowRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    jobId: { type: String, required: true },
    n: { type: Number, required: true },
    phone: { type: String, required: true },
    variables: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'bulk_rows', versionKey: false, _id: false, minimize: false },
);
/** The planner pages through a job's rows in order. */
BulkRowSchema.index({ jobId: 1, n: 1 }, { name: 'job_n' });
