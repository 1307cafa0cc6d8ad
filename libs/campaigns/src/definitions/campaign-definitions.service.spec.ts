import type { AccountsService } from '@wwb/accounts';
import type { ConnectionRepository } from '@wwb/connections';
import { scopeOf } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import type { TemplateReferencesService, TemplatesService } from '@wwb/templates';
import { DEFAULT_PACING } from '../pacing';
import { CampaignDefinitionsService, CreateCampaignCommand } from './campaign-definitions.service';
import { CampaignChanges, CampaignRepository } from './campaign.repository';
import { CampaignRevisionStore, RevisionClaim } from './campaign-revision.store';
import { CampaignRecord } from './campaign.schema';

const scope = scopeOf('acc_1');
const CON_A = 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7SA';
const CON_B = 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7SB';
const CON_OTHER = 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7SC';
const TPL = 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S1';
const TPL_2 = 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S2';
const NOW = new Date('2026-03-25T12:00:00Z');

/** The campaigns collection in memory; `beforeUpdate` lets a test slip a concurrent change in. */
class FakeCampaigns {
  readonly docs = new Map<string, CampaignRecord>();
  readonly cursors = new Map<string, Date>();
  beforeUpdate?: () => void;
  failInsert = false;

  async insert(r: CampaignRecord) {
    if (this.failInsert) throw new Error('insert failed');
    this.docs.set(r._id, structuredClone(r));
  }
  async get(s: { accountId: string }, id: string) {
    const d = this.docs.get(id);
    return d && d.accountId === s.accountId ? structuredClone(d) : null;
  }
  async list(s: { accountId: string }, o: { beforeId?: string; limit: number }) {
    return [...this.docs.values()]
      .filter((d) => d.accountId === s.accountId && (!o.beforeId || d._id < o.beforeId))
      .sort((a, b) => (a._id < b._id ? 1 : -1))
      .slice(0, o.limit);
  }
  async update(s: { accountId: string }, id: string, revision: number, changes: CampaignChanges) {
    this.beforeUpdate?.();
    const d = this.docs.get(id);
    if (!d || d.accountId !== s.accountId || d.revision !== revision) return false;
    this.docs.set(id, { ...d, ...structuredClone(changes) });
    return true;
  }
  async delete(s: { accountId: string }, id: string) {
    return this.docs.get(id)?.accountId === s.accountId && this.docs.delete(id);
  }
  async lastOccurrences(ids: readonly string[]) {
    return new Map(ids.filter((id) => this.cursors.has(id)).map((id) => [id, this.cursors.get(id)!]));
  }
  async lastRuns() {
    return new Map();
  }
}

/**
 * Revision claims in memory: one request per (campaign, revision), as the unique insert gives;
 * `held` lets a test stand for a request that claimed and has not written yet.
 */
class FakeRevisions {
  readonly held = new Set<string>();
  readonly spent = new Set<string>();
  async begin(campaignId: string, revision: number) {
    const key = `${campaignId}/r${revision}`;
    if (this.held.has(key) || this.spent.has(key)) return null;
    this.held.add(key);
    return { campaignId, revision, held: { id: key } } as unknown as RevisionClaim;
  }
  async finish(c: RevisionClaim) {
    this.held.delete(c.held.id);
    this.spent.add(c.held.id);
  }
  async abandon(c: RevisionClaim) {
    this.held.delete(c.held.id);
  }
  async forget(campaignId: string) {
    for (const set of [this.held, this.spent])
      for (const k of set) if (k.startsWith(`${campaignId}/`)) set.delete(k);
  }
}

function setup(slotLimit = 5) {
  const campaigns = new FakeCampaigns();
  const revisions = new FakeRevisions();
  const refs = new Map<string, string[]>();
  const slots = new Set<string>();
  const accounts = {
    reserve: jest.fn(async (_s: unknown, _r: string, id: string) => {
      if (slots.size >= slotLimit) throw DomainError.conflict('plan_limit_exceeded', 'full');
      slots.add(id);
    }),
    release: jest.fn(async (_s: unknown, _r: string, id: string) => void slots.delete(id)),
  };
  const references = {
    set: jest.fn(async (_s: unknown, o: { id: string }, ids: string[]) => void refs.set(o.id, [...ids])),
    clear: jest.fn(async (_s: unknown, o: { id: string }) => void refs.delete(o.id)),
  };
  const templates = {
    assertUsable: jest.fn(async (_s: unknown, id: string) => {
      if (id !== TPL && id !== TPL_2)
        throw DomainError.invalid('template_not_found', `template ${id} not found`);
    }),
  };
  const connections = {
    get: jest.fn(async (_s: unknown, id: string) => ([CON_A, CON_B].includes(id) ? { _id: id } : null)),
  };
  let n = 0;
  const ids = { prefixed: (p: string) => `${p}_01JDQ8Z6W5V7Y2M3N4P5Q6R${String(++n).padStart(3, '0')}` };
  const clock = { now: () => NOW, sleep: jest.fn(async () => undefined) };
  const service = new CampaignDefinitionsService(
    campaigns as unknown as CampaignRepository,
    revisions as unknown as CampaignRevisionStore,
    connections as unknown as ConnectionRepository,
    templates as unknown as TemplatesService,
    references as unknown as TemplateReferencesService,
    accounts as unknown as AccountsService,
    ids as unknown as IdGenerator,
    clock as unknown as Clock,
  );
  return { service, campaigns, revisions, refs, slots, accounts, connections, clock };
}

const body = (over: Partial<CreateCampaignCommand> = {}): CreateCampaignCommand => ({
  name: ' Weekly offer ',
  connectionIds: [CON_A],
  templateId: TPL,
  audience: { tags: ['VIP'] },
  schedule: { type: 'rrule', timeZone: 'Europe/Berlin', rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' },
  ...over,
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  throw new Error('did not throw');
}

describe('CampaignDefinitionsService', () => {
  it('creates a campaign: defaults written out, plan slot taken, template referenced', async () => {
    const { service, campaigns, refs, slots } = setup();
    const view = await service.create(scope, body());
    expect(view).toMatchObject({
      name: 'Weekly offer',
      connectionIds: [CON_A],
      templateId: TPL,
      variables: {},
      audience: { tags: ['vip'], contactIds: [] },
      schedule: { type: 'rrule', misfire: 'run_once', recipientLocalTime: false, startAt: NOW.toISOString() },
      pacing: { ...DEFAULT_PACING, warmup: [...DEFAULT_PACING.warmup] },
      state: 'active',
      nextRunAt: '2026-03-30T07:00:00.000Z',
      revision: 1,
      createdAt: NOW.toISOString(),
    });
    expect(campaigns.docs.get(view.id)).toMatchObject({ accountId: 'acc_1', state: 'active' });
    expect([...slots]).toEqual([view.id]);
    expect(refs.get(view.id)).toEqual([TPL]);
  });

  it('checks the body before it takes a plan slot, and names every unknown connection', async () => {
    const { service, accounts } = setup();
    expect(await codeOf(service.create(scope, body({ audience: {} })))).toBe('empty_audience');
    expect(await codeOf(service.create(scope, body({ schedule: { type: 'weekly' } })))).toBe(
      'invalid_schedule',
    );
    expect(await codeOf(service.create(scope, body({ pacing: { messagesPerMinute: 500 } })))).toBe(
      'invalid_pacing',
    );
    expect(await codeOf(service.create(scope, body({ templateId: 'tpl_nope' })))).toBe('template_not_found');
    const unknown = await service
      .create(scope, body({ connectionIds: [CON_A, CON_OTHER, 'nonsense'] }))
      .catch((e: DomainError) => e);
    expect(unknown).toMatchObject({
      code: 'unknown_connection',
      details: { field: 'connectionIds', connectionIds: [CON_OTHER, 'nonsense'] },
    });
    // A connection of the account outside a restricted key's reach is unknown to that key.
    const outside = await service.create(scope, body({ connectionIds: [CON_B] }), [CON_A]).catch((e) => e);
    expect(outside).toMatchObject({ code: 'unknown_connection', details: { connectionIds: [CON_B] } });
    expect(accounts.reserve).not.toHaveBeenCalled();
  });

  it('gives the slot and the reference back when the insert fails', async () => {
    const { service, campaigns, refs, slots } = setup();
    campaigns.failInsert = true;
    await expect(service.create(scope, body())).rejects.toThrow('insert failed');
    expect(slots.size).toBe(0);
    expect(refs.size).toBe(0);
  });

  it('PATCH: absent fields stay, the revision grows, a new template takes over the reference', async () => {
    const { service, refs } = setup();
    const created = await service.create(scope, body({ audience: { tags: ['vip'], contactIds: [] } }));
    const patched = await service.update(scope, created.id, {
      name: 'Renamed',
      templateId: TPL_2,
      audience: { contactIds: ['ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'] },
      pacing: { messagesPerMinute: 3 },
    });
    expect(patched).toMatchObject({
      name: 'Renamed',
      templateId: TPL_2,
      connectionIds: [CON_A],
      audience: { tags: ['vip'], contactIds: ['ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'] },
      pacing: { messagesPerMinute: 3, dailyCap: DEFAULT_PACING.dailyCap },
      schedule: created.schedule,
      revision: 2,
    });
    expect(refs.get(created.id)).toEqual([TPL_2]);
    expect(await service.get(scope, created.id)).toEqual(patched);
    // Nothing to change: nothing written.
    expect((await service.update(scope, created.id, {})).revision).toBe(2);
  });

  it('PATCH that loses a race: 409 campaign_changed, the stored template stays referenced', async () => {
    const { service, campaigns, refs } = setup();
    const created = await service.create(scope, body());
    campaigns.beforeUpdate = () => {
      const d = campaigns.docs.get(created.id)!;
      campaigns.docs.set(created.id, { ...d, name: 'theirs', revision: d.revision + 1 });
      campaigns.beforeUpdate = undefined;
    };
    expect(await codeOf(service.update(scope, created.id, { templateId: TPL_2 }))).toBe('campaign_changed');
    expect(campaigns.docs.get(created.id)).toMatchObject({ name: 'theirs', templateId: TPL, revision: 2 });
    expect(refs.get(created.id)).toEqual([TPL]);
  });

  it('two PATCHes that read the same revision: one is written, the other is 409 and writes nothing', async () => {
    const { service, campaigns, refs } = setup();
    const { id } = await service.create(scope, body());
    const results = await Promise.allSettled([
      service.update(scope, id, { name: 'first', templateId: TPL_2 }),
      service.update(scope, id, { name: 'second' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as DomainError).code)).toEqual(['campaign_changed']);
    const stored = campaigns.docs.get(id)!;
    expect(stored.revision).toBe(2);
    expect(refs.get(id)).toEqual([stored.templateId]);
  });

  it('a PATCH while another request is writing that revision is 409 and leaves the reference alone', async () => {
    const { service, campaigns, revisions, refs } = setup();
    const { id } = await service.create(scope, body());
    revisions.held.add(`${id}/r1`);
    expect(await codeOf(service.update(scope, id, { templateId: TPL_2 }))).toBe('campaign_changed');
    expect(campaigns.docs.get(id)).toMatchObject({ templateId: TPL, revision: 1 });
    expect(refs.get(id)).toEqual([TPL]);
  });

  it('a state change waits for a write in flight and then applies on top of it', async () => {
    const { service, campaigns, revisions, clock } = setup();
    const { id } = await service.create(scope, body());
    revisions.held.add(`${id}/r1`);
    clock.sleep.mockImplementationOnce(async () => {
      // The other request's write lands meanwhile.
      campaigns.docs.set(id, { ...campaigns.docs.get(id)!, name: 'theirs', revision: 2 });
      revisions.held.delete(`${id}/r1`);
      revisions.spent.add(`${id}/r1`);
    });
    expect(await service.pause(scope, id)).toMatchObject({ name: 'theirs', state: 'paused', revision: 3 });
    expect(clock.sleep).toHaveBeenCalledTimes(1);
  });

  it('pause, resume and cancel: idempotent where harmless, cancel final', async () => {
    const { service } = setup();
    const { id } = await service.create(scope, body());
    expect(await service.pause(scope, id)).toMatchObject({ state: 'paused', nextRunAt: null, revision: 2 });
    expect(await service.pause(scope, id)).toMatchObject({ state: 'paused', revision: 2 });
    expect(await service.resume(scope, id)).toMatchObject({
      state: 'active',
      nextRunAt: '2026-03-30T07:00:00.000Z',
      revision: 3,
    });
    expect(await service.cancel(scope, id)).toMatchObject({
      state: 'cancelled',
      nextRunAt: null,
      revision: 4,
    });
    expect(await service.cancel(scope, id)).toMatchObject({ state: 'cancelled', revision: 4 });
    expect(await codeOf(service.resume(scope, id))).toBe('campaign_cancelled');
    expect(await codeOf(service.pause(scope, id))).toBe('campaign_cancelled');
    expect(await codeOf(service.update(scope, id, { name: 'again' }))).toBe('campaign_cancelled');
  });

  it('a state change that loses a race is decided again on what won', async () => {
    const { service, campaigns } = setup();
    const { id } = await service.create(scope, body());
    campaigns.beforeUpdate = () => {
      const d = campaigns.docs.get(id)!;
      campaigns.docs.set(id, { ...d, state: 'cancelled', revision: d.revision + 1 });
      campaigns.beforeUpdate = undefined;
    };
    // A cancel won meanwhile: the pause is refused, not written over it.
    expect(await codeOf(service.pause(scope, id))).toBe('campaign_cancelled');
    expect(campaigns.docs.get(id)!.state).toBe('cancelled');
  });

  it('is 404 for another account, a malformed id, and a campaign beyond a restricted key', async () => {
    const { service } = setup();
    const both = await service.create(scope, body({ connectionIds: [CON_A, CON_B] }));
    const other = scopeOf('acc_2');
    const reachA = [CON_A];
    const calls = [
      (s = other, r?: string[]) => service.get(s, both.id, r),
      (s = other, r?: string[]) => service.update(s, both.id, { name: 'x' }, r),
      (s = other, r?: string[]) => service.pause(s, both.id, r),
      (s = other, r?: string[]) => service.delete(s, both.id, r),
    ];
    for (const call of calls) {
      expect(await codeOf(call())).toBe('not_found');
      expect(await codeOf(call(scope, reachA))).toBe('not_found');
    }
    expect(await codeOf(service.get(scope, 'cmp_nope'))).toBe('not_found');
    expect((await service.get(scope, both.id, [CON_A, CON_B])).id).toBe(both.id);
  });

  it('lists newest first in pages; a restricted key sees only what it reaches', async () => {
    const { service } = setup(10);
    const made: string[] = [];
    for (const connectionIds of [[CON_A], [CON_B], [CON_A], [CON_A, CON_B], [CON_A]]) {
      made.push((await service.create(scope, body({ connectionIds }))).id);
    }
    const first = await service.list(scope, { limit: 2 });
    expect(first.data.map((c) => c.id)).toEqual([made[4], made[3]]);
    const second = await service.list(scope, { limit: 2, cursor: first.nextCursor! });
    expect(second.data.map((c) => c.id)).toEqual([made[2], made[1]]);
    const last = await service.list(scope, { limit: 2, cursor: second.nextCursor! });
    expect(last).toMatchObject({ data: [{ id: made[0] }], nextCursor: null });

    const onlyA = await service.list(scope, { limit: 2 }, [CON_A]);
    expect(onlyA.data.map((c) => c.id)).toEqual([made[4], made[2]]);
    const restOfA = await service.list(scope, { limit: 2, cursor: onlyA.nextCursor! }, [CON_A]);
    expect(restOfA).toMatchObject({ data: [{ id: made[0] }], nextCursor: null });
    expect(await codeOf(service.list(scope, { cursor: 'bm9wZQ' }))).toBe('invalid_cursor');
  });

  it('deletes: the slot and the template reference are given back', async () => {
    const { service, campaigns, refs, slots } = setup();
    const { id } = await service.create(scope, body());
    await service.delete(scope, id);
    expect(campaigns.docs.has(id)).toBe(false);
    expect(slots.size).toBe(0);
    expect(refs.has(id)).toBe(false);
    expect(await codeOf(service.delete(scope, id))).toBe('not_found');
  });

  it('reads the state from the scheduler cursor: a one-off that ran is completed', async () => {
    const { service, campaigns } = setup();
    const { id, state } = await service.create(
      scope,
      body({ schedule: { type: 'once', timeZone: 'UTC', at: '2026-03-26T09:00:00Z' } }),
    );
    expect(state).toBe('active');
    campaigns.cursors.set(id, new Date('2026-03-26T09:00:00Z'));
    expect(await service.get(scope, id)).toMatchObject({ state: 'completed', nextRunAt: null });
  });
});
