import { Schema } from 'mongoose';

export const WEBHOOK_JOB_MODEL = 'WebhookJob';
export const WEBHOOK_JOB_PROGRESS_MODEL = 'WebhookJobProgress';

/**
 * A request from the API to the workers: a redelivery (the API already stored the new delivery;
 * the job tells the worker owning its partition) or a replay of a time window (each worker
 * creates the deliveries of the partitions it owns). Small collection, polled by every worker
 * (only the jobs not finished are loaded).
 */
export interface WebhookJobRecord {
  _id: string;
  accountId: string;
  endpointId: string;
  kind: 'redeliver' | 'replay';
  /** Partitions concerned (redeliver: the delivery's). Absent = every partition. */
  partitions?: number[];
  deliveryId?: string;
  since?: Date;
  until?: Date;
  createdAt: Date;
  /** Set once every partition concerned is done: workers then stop loading the job. */
  finishedAt?: Date;
}

export const WebhookJobSchema = new Schema<WebhookJobRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    endpointId: { type: String, required: true },
    kind: { type: String, required: true },
    partitions: { type: [Number], default: undefined },
    deliveryId: { type: String },
    since: { type: Date },
    until: { type: Date },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date },
  },
  { collection: 'webhook_jobs', versionKey: false, _id: false },
);

/** A job done for one partition: `_id` = `<jobId>:<partition>`. */
export interface WebhookJobProgressRecord {
  _id: string;
  jobId: string;
  partition: number;
  deliveries: number;
  doneAt: Date;
}

export const WebhookJobProgressSchema = new Schema<WebhookJobProgressRecord>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    partition: { type: Number, required: true },
    deliveries: { type: Number, required: true },
    doneAt: { type: Date, required: true },
  },
  { collection: 'webhook_job_progress', versionKey: false, _id: false },
);
