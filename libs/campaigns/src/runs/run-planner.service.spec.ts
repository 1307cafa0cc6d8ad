import pino from 'pino';
import { TemplateEngine } from '@wwb/templates';
import type { AudienceMember } from '@wwb/contacts';
import type { BulkRowRecord } from '../bulk/bulk-row.schema';
import type { CampaignRecord } from '../definitions';
import { DEFAULT_PACING } from '../pacing';
import { parseSchedule } from '../schedule';
import type { CampaignRecipientRecord, CampaignRunRecord } from './campaign-run.schema';
import { connectionFor, RunPlannerService } from './run-planner.service';

const NOW = new Date('2027-06-07T08:00:00Z'); // Monday 10:00 in Berlin, 17:00 in Tokyo, 01:00 in Los Angeles
let ids = 0;

function member(id: string, over: Partial<AudienceMember> = {}): AudienceMember {
  return {
    id,
    phone: `+1555000${id.slice(-4)}`,
    name: id,
    tags: ['vip'],
    attributes: { city: 'Berlin' },
    timeZone: 'Europe/Berlin',
    language: null,
    optedOut: false,
    ...over,
  };
}

function setUp(
  members: AudienceMember[],
  missing: string[] = [],
  bulk: { rows: BulkRowRecord[]; body: string } | null = null,
) {
  const inserted: CampaignRecipientRecord[] = [];
  const planner = new RunPlannerService(
    { insertRecipients: async (rows: CampaignRecipientRecord[]) => void inserted.push(...rows) } as never,
    {
      async *members(_: unknown, __: unknown, onMissing: (id: string) => void) {
        yield* members;
        missing.forEach(onMissing);
      },
      byPhones: async (_: unknown, phones: string[]) =>
        new Map(members.filter((m) => phones.includes(m.phone)).map((m) => [m.phone, m])),
    } as never,
    {
      get: async () => ({
        body: bulk?.body ?? 'Hi {{contact.name}} from {{contact.attributes.city}}',
        language: 'en',
      }),
    } as never,
    new TemplateEngine(),
    { prefixed: (p: string) => `${p}_${String(++ids).padStart(26, '0')}` } as never,
    { now: () => NOW, nowMs: () => NOW.getTime() } as never,
    { child: () => pino({ level: 'silent' }) } as never,
    {
      async *stream(_: unknown, jobId: string) {
        yield* (bulk?.rows ?? []).filter((r) => r.jobId === jobId);
      },
    } as never,
  );
  return { planner, inserted };
}

function campaign(schedule: Record<string, unknown>): CampaignRecord {
  return {
    _id: 'cmp_1',
    accountId: 'acc_1',
    name: 'c',
    connectionIds: ['con_a', 'con_b'],
    templateId: 'tpl_1',
    variables: {},
    audience: { tags: ['vip'], contactIds: [] },
    schedule: parseSchedule(schedule, new Date('2027-06-01T00:00:00Z')),
    pacing: DEFAULT_PACING,
    state: 'active',
    revision: 1,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

const run = (occurrence: Date): CampaignRunRecord => ({
  _id: 'cmp_1_20270607T0900',
  accountId: 'acc_1',
  campaignId: 'cmp_1',
  kind: 'scheduled',
  occurrence,
  occurrenceId: '2027-06-07T09:00',
  createdAt: NOW,
});

const byContact = (rows: CampaignRecipientRecord[]) => new Map(rows.map((r) => [r.contactId, r]));

describe('RunPlannerService', () => {
  it('renders per contact, skips with reasons, spreads contacts over connections stably, in batches', async () => {
    const { planner, inserted } = setUp(
      [
        member('ctc_0001'),
        member('ctc_0002', { attributes: {} }),
        member('ctc_0003', { optedOut: true }),
        member('ctc_0004', { attributes: { city: 'Rome' } }),
      ],
      ['ctc_gone'],
    );
    const c = campaign({ type: 'once', at: '2027-06-07T08:00:00Z', timeZone: 'UTC' });
    const result = await planner.plan(run(NOW), c);
    expect(result).toEqual({
      targeted: 5,
      pending: 2,
      skipped: { template_render_failed: 1, opted_out: 1, contact_not_found: 1 },
      connections: [
        ...new Set(['ctc_0001', 'ctc_0004'].map((id) => connectionFor(id, c.connectionIds))),
      ].sort(),
    });
    const rows = byContact(inserted);
    expect(rows.get('ctc_0001')).toMatchObject({
      _id: 'cmp_1_20270607T0900/ctc_0001',
      state: 'pending',
      message: { to: '+15550000001', type: 'text', text: 'Hi ctc_0001 from Berlin' },
      messageId: expect.stringMatching(/^msg_/),
      dueAt: NOW,
    });
    expect(rows.get('ctc_0002')).toMatchObject({ state: 'skipped', reason: 'template_render_failed' });
    expect(rows.get('ctc_0002')!.detail).toMatch(/city/);
    expect(rows.get('ctc_gone')).toMatchObject({ state: 'skipped', reason: 'contact_not_found', phone: '' });
    expect(inserted.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    // The same contact always goes through the same connection.
    expect(connectionFor('ctc_0001', c.connectionIds)).toBe(connectionFor('ctc_0001', c.connectionIds));
  });

  it("recipient local time: each is due at the occurrence's wall time in their zone; one already past is skipped under misfire skip", async () => {
    const members = [
      member('ctc_0001', { timeZone: 'Asia/Tokyo' }),
      member('ctc_0002', { timeZone: 'Europe/Berlin' }),
      member('ctc_0003', { timeZone: 'America/Los_Angeles' }),
    ];
    const schedule = {
      type: 'rrule',
      rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
      timeZone: 'Europe/Berlin',
      recipientLocalTime: true,
    };
    // The occurrence Monday 09:00 Berlin wall time = 07:00Z.
    const occurrence = new Date('2027-06-07T07:00:00Z');
    for (const misfire of ['skip', 'run_once'] as const) {
      const { planner, inserted } = setUp(members);
      await planner.plan(run(occurrence), campaign({ ...schedule, misfire }));
      const rows = byContact(inserted);
      expect(rows.get('ctc_0001')!.dueAt.toISOString()).toBe('2027-06-07T00:00:00.000Z'); // 09:00 in Tokyo
      expect(rows.get('ctc_0002')!.dueAt.toISOString()).toBe('2027-06-07T07:00:00.000Z'); // 09:00 in Berlin
      expect(rows.get('ctc_0003')!.dueAt.toISOString()).toBe('2027-06-07T16:00:00.000Z'); // 09:00 in LA
      // At 08:00Z, Tokyo's 09:00 is 8 hours gone, Berlin's one hour: skipped under skip, sent under run_once.
      const states = ['ctc_0001', 'ctc_0002', 'ctc_0003'].map((id) => rows.get(id)!.state);
      if (misfire === 'skip') {
        expect(states).toEqual(['skipped', 'skipped', 'pending']);
        expect(rows.get('ctc_0001')!.reason).toBe('local_time_passed');
      } else {
        expect(states).toEqual(['pending', 'pending', 'pending']);
      }
    }
  });

  it('a dry run counts and samples the same recipients and writes nothing', async () => {
    const { planner, inserted } = setUp([member('ctc_0001'), member('ctc_0003', { optedOut: true })]);
    const c = campaign({ type: 'once', at: '2027-06-07T08:00:00Z', timeZone: 'UTC' });
    const { result, samples } = await planner.preview(c, 1);
    expect(result).toMatchObject({ targeted: 2, pending: 1, skipped: { opted_out: 1 } });
    expect(samples).toHaveLength(1);
    expect(samples[0]!.message?.text).toBe('Hi ctc_0001 from Berlin');
    expect(inserted).toEqual([]);
  });

  it('a bulk job: its rows in order, opted-out contacts skipped, row variables over the static ones', async () => {
    const known = member('ctc_0007', { phone: '+15557650107', name: 'Kim' });
    const out = member('ctc_0008', { phone: '+15557650108', optedOut: true });
    const row = (n: number, phone: string, variables: BulkRowRecord['variables']): BulkRowRecord => ({
      _id: `cmp_1/${n}`,
      accountId: 'acc_1',
      jobId: 'cmp_1',
      n,
      phone,
      variables,
    });
    const { planner, inserted } = setUp([known, out], [], {
      body: 'Hi {{first}} ({{contact.name}}), {{offer}}',
      rows: [
        row(1, '+15557650107', { first: 'K' }),
        row(2, '+15557650109', { first: 'Lu', offer: 'own offer' }),
        row(3, '+15557650108', { first: 'O' }),
        row(4, '+15557650110', {}),
      ],
    });
    const c: CampaignRecord = {
      ...campaign({ type: 'once', at: '2027-06-07T08:00:00Z', timeZone: 'UTC' }),
      connectionIds: ['con_a'],
      variables: { offer: 'static offer' },
      audience: { tags: [], contactIds: [], bulkId: 'cmp_1' },
      kind: 'bulk',
    };
    const result = await planner.plan({ ...run(NOW), kind: 'manual' }, c);
    expect(result).toMatchObject({
      targeted: 4,
      pending: 2,
      skipped: { opted_out: 1, template_render_failed: 1 },
    });
    expect(inserted.map((r) => [r.contactId, r.phone, r.state, r.reason ?? null])).toEqual([
      ['ctc_0007', '+15557650107', 'pending', null],
      ['phone_15557650109', '+15557650109', 'pending', null],
      ['ctc_0008', '+15557650108', 'skipped', 'opted_out'],
      ['phone_15557650110', '+15557650110', 'skipped', 'template_render_failed'],
    ]);
    expect(inserted[0]!.message).toMatchObject({ to: '+15557650107', text: 'Hi K (Kim), static offer' });
    expect(inserted[1]!.message?.text).toBe('Hi Lu (), own offer');
    expect(inserted[1]!.timeZone).toBe('UTC');
    expect(inserted[1]!.connectionId).toBe('con_a');
  });
});
