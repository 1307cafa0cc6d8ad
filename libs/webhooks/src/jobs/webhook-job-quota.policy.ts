import type { WebhookJobRecord } from './webhook-job.schema';

export type WebhookJobKind = WebhookJobRecord['kind'];

/**
 * A job's holder id in the account's webhookJobs quota slots: `<kind>:<endpointId>:<jobId>`, so
 * that whoever frees slots can tell from the slot alone how to find the job and when it is done.
 */
export const jobHolderId = (kind: WebhookJobKind, endpointId: string, jobId: string): string =>
  `${kind}:${endpointId}:${jobId}`;

export function parseJobHolderId(
  holderId: string,
): { kind: WebhookJobKind; endpointId: string; jobId: string } | undefined {
  const [kind, endpointId, jobId, ...rest] = holderId.split(':');
  if ((kind !== 'redeliver' && kind !== 'replay') || !endpointId || !jobId || rest.length) return undefined;
  return { kind, endpointId, jobId };
}

/**
 * Whether a job no longer counts against the account: every partition it concerns is done (a
 * redelivery concerns one, a replay all of them), or it is older than the horizon within which
 * workers still run jobs.
 */
export function webhookJobDone(job: {
  kind: WebhookJobKind;
  partitionsDone: number;
  partitions: number;
  ageMs: number;
  horizonMs: number;
}): boolean {
  if (job.ageMs >= job.horizonMs) return true;
  return job.partitionsDone >= (job.kind === 'redeliver' ? 1 : job.partitions);
}
