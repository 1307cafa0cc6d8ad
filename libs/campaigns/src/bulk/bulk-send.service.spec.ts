import { quotaExceeded } from '@wwb/accounts';
import { scopeOf } from '@wwb/persistence';
import { DomainError } from '@wwb/runtime';
import type { CampaignRecord } from '../definitions';
import type { CampaignRunRecord } from '../runs/campaign-run.schema';
import { collectJsonRows } from './bulk-row.policy';
import type { BulkRowRecord } from './bulk-row.schema';
import { BulkSendService } from './bulk-send.service';

const scope = scopeOf('acc_1');
const T0 = Date.parse('2027-03-01T10:00:00Z');

/** In-memory fakes of everything the service writes, with a limit of `limit` bulkJobs slots. */
function setUp(limit = 1) {
  let nowMs = T0;
  let n = 0;
  const campaigns = new Map<string, CampaignRecord>();
  const runs: CampaignRunRecord[] = [];
  const marks = new Set<string>();
  const rows: BulkRowRecord[] = [];
  const cursors = new Map<string, Date>();
  const slots = new Map<string, { _id: string; holderId: string; takenAt: Date }>();
  let failInsert = false;
  const service = new BulkSendService(
    {
      insert: async (c: CampaignRecord) => {
        if (failInsert) throw new Error('database down');
        campaigns.set(c._id, c);
      },
      get: async (_: unknown, id: string) => campaigns.get(id) ?? null,
    } as never,
    {
      setCursor: async (id: string, at: Date) => void cursors.set(id, at),
      claimRun: async (r: CampaignRunRecord) => (runs.push(r), true),
      runsOf: async (_: string, campaignId: string) => runs.filter((r) => r.campaignId === campaignId),
      marked: async (ids: string[], mark: string) => new Set(ids.filter((id) => marks.has(`${id}/${mark}`))),
    } as never,
    {
      insert: async (r: BulkRowRecord[]) => void rows.push(...r),
      deleteJob: async (_: unknown, jobId: string) => {
        for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.jobId === jobId) rows.splice(i, 1);
      },
    } as never,
    { report: async () => ({ state: 'running' }) } as never,
    {
      acquire: async (_: unknown, resource: string, holderId: string) => {
        if (slots.size >= limit) throw quotaExceeded('bulkJobs', 'starter', limit);
        const slot = { _id: `s${++n}`, holderId, takenAt: new Date(nowMs) };
        slots.set(slot._id, slot);
        expect(resource).toBe('bulkJobs');
        return { slotId: slot._id, holderId };
      },
      release: async (_: unknown, hold: { slotId: string }) => void slots.delete(hold.slotId),
    } as never,
    { held: async () => [...slots.values()] } as never,
    {
      get: async (_: unknown, id: string) => (id === 'con_01ABCDEFGHJKMNPQRSTVWXYZ00' ? { _id: id } : null),
    } as never,
    {
      assertUsable: async (_: unknown, id: string) => {
        if (id !== 'tpl_1') throw DomainError.invalid('template_not_found', 'templateId: not found');
      },
    } as never,
    { prefixed: (p: string) => `${p}_${++n}`, ulid: () => `U${++n}` } as never,
    { now: () => new Date(nowMs), nowMs: () => nowMs } as never,
  );
  return {
    service,
    campaigns,
    runs,
    marks,
    rows,
    cursors,
    slots,
    advance: (ms: number) => (nowMs += ms),
    failNextInsert: () => (failInsert = true),
  };
}

const CON = 'con_01ABCDEFGHJKMNPQRSTVWXYZ00';
const cmd = (recipients: unknown[]) => ({ templateId: 'tpl_1', rows: collectJsonRows(recipients) });

describe('BulkSendService', () => {
  it('stores the good rows, a bulk campaign and its manual run; the once occurrence counts as started', async () => {
    const t = setUp();
    const out = await t.service.create(
      scope,
      CON,
      cmd([{ to: '+15557650101', variables: { a: 1 } }, { to: 'x' }]),
    );
    expect(out).toMatchObject({ accepted: 1, rejected: 1, errors: [{ row: 2, code: 'invalid_phone' }] });
    const job = t.campaigns.get(out.id)!;
    expect(job).toMatchObject({
      kind: 'bulk',
      connectionIds: [CON],
      variables: {},
      audience: { tags: [], contactIds: [], bulkId: out.id },
      schedule: { type: 'once', timeZone: 'UTC' },
      bulk: { accepted: 1, rejected: 1 },
    });
    expect(t.rows).toEqual([
      {
        _id: `${out.id}/1`,
        accountId: 'acc_1',
        jobId: out.id,
        n: 1,
        phone: '+15557650101',
        variables: { a: 1 },
      },
    ]);
    expect(t.runs).toEqual([expect.objectContaining({ _id: out.runId, campaignId: out.id, kind: 'manual' })]);
    expect(t.cursors.get(out.id)).toEqual(new Date(T0));
  });

  it('every row bad: 400 no_valid_recipients and nothing is written, no slot taken', async () => {
    const t = setUp();
    await expect(t.service.create(scope, CON, cmd([{ to: 'x' }]))).rejects.toMatchObject({
      code: 'no_valid_recipients',
      details: { errors: [{ row: 1, code: 'invalid_phone' }] },
    });
    expect([t.campaigns.size, t.rows.length, t.runs.length, t.slots.size]).toEqual([0, 0, 0, 0]);
  });

  it("404 for a connection that is not the account's; 400 for a template that is not", async () => {
    const t = setUp();
    await expect(t.service.create(scope, 'con_other', cmd([{ to: '+15557650101' }]))).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(
      t.service.create(scope, CON, { ...cmd([{ to: '+15557650101' }]), templateId: 'tpl_2' }),
    ).rejects.toMatchObject({ code: 'template_not_found' });
    expect(t.slots.size).toBe(0);
  });

  it('at the limit: 429 while the job runs; once its run has a completed mark, its slot is freed lazily', async () => {
    const t = setUp(1);
    const first = await t.service.create(scope, CON, cmd([{ to: '+15557650101' }]));
    await expect(t.service.create(scope, CON, cmd([{ to: '+15557650102' }]))).rejects.toMatchObject({
      code: 'too_many_bulk_jobs',
    });
    t.marks.add(`${first.runId}/completed`);
    const second = await t.service.create(scope, CON, cmd([{ to: '+15557650102' }]));
    expect([...t.slots.values()].map((s) => s.holderId)).toEqual([second.id]);
    t.marks.add(`${second.runId}/cancelled`);
    await t.service.create(scope, CON, cmd([{ to: '+15557650103' }]));
  });

  it('a slot whose job was never created is freed only after 5 minutes (a request may still be writing it)', async () => {
    const t = setUp(1);
    t.failNextInsert();
    await expect(t.service.create(scope, CON, cmd([{ to: '+15557650101' }]))).rejects.toThrow(
      'database down',
    );
    // The failed request gave its slot and rows back itself.
    expect([t.slots.size, t.rows.length]).toEqual([0, 0]);
    t.slots.set('stale', { _id: 'stale', holderId: 'cmp_ghost', takenAt: new Date(T0) });
    t.advance(4 * 60_000);
    const t2 = t.service.create(scope, CON, cmd([{ to: '+15557650101' }]));
    await expect(t2).rejects.toMatchObject({ code: 'too_many_bulk_jobs' });
  });

  it('a stale orphan slot (over 5 minutes, no campaign) is freed at the limit', async () => {
    const t = setUp(1);
    t.slots.set('stale', { _id: 'stale', holderId: 'cmp_ghost', takenAt: new Date(T0) });
    t.advance(5 * 60_000 + 1);
    const out = await t.service.create(scope, CON, cmd([{ to: '+15557650101' }]));
    expect([...t.slots.values()].map((s) => s.holderId)).toEqual([out.id]);
  });

  it('get: 404 for a campaign that is not a bulk job of this connection', async () => {
    const t = setUp();
    const job = await t.service.create(scope, CON, cmd([{ to: '+15557650101' }]));
    expect(await t.service.get(scope, CON, job.id)).toMatchObject({
      id: job.id,
      accepted: 1,
      rejected: 0,
      runId: job.runId,
      report: { state: 'running' },
    });
    t.campaigns.set('cmp_plain', { ...t.campaigns.get(job.id)!, _id: 'cmp_plain', kind: undefined });
    await expect(t.service.get(scope, CON, 'cmp_plain')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(t.service.get(scope, CON, 'cmp_none')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
