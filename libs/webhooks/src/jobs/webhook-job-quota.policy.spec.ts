import { jobHolderId, parseJobHolderId, webhookJobDone } from './webhook-job-quota.policy';

describe('webhook job quota policy', () => {
  it('names a job in its slot so that the slot alone tells how to find it', () => {
    const id = jobHolderId('replay', 'whe_1', 'job_2');
    expect(parseJobHolderId(id)).toEqual({ kind: 'replay', endpointId: 'whe_1', jobId: 'job_2' });
    expect(parseJobHolderId('other:whe_1:job_2')).toBeUndefined();
    expect(parseJobHolderId('replay:whe_1')).toBeUndefined();
    expect(parseJobHolderId('replay:a:b:c')).toBeUndefined();
  });

  it('a redelivery is done with its one partition, a replay with every partition, any job past the horizon', () => {
    const job = { partitions: 3, ageMs: 1_000, horizonMs: 10_000 };
    expect(webhookJobDone({ ...job, kind: 'redeliver', partitionsDone: 0 })).toBe(false);
    expect(webhookJobDone({ ...job, kind: 'redeliver', partitionsDone: 1 })).toBe(true);
    expect(webhookJobDone({ ...job, kind: 'replay', partitionsDone: 2 })).toBe(false);
    expect(webhookJobDone({ ...job, kind: 'replay', partitionsDone: 3 })).toBe(true);
    expect(webhookJobDone({ ...job, kind: 'replay', partitionsDone: 0, ageMs: 10_000 })).toBe(true);
  });
});
