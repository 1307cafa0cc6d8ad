import type { AppConfig, PlanLimitOverrides } from '@wwb/config';
import { AppError } from '@wwb/http';
import { scopeOf } from '@wwb/persistence';
import type { Clock, IdGenerator } from '@wwb/runtime';
import type { AccountEventsProducer } from './account-events.producer';
import type { AccountRepository } from './account.repository';
import type { AccountRecord } from './account.schema';
import { AccountsService } from './accounts.service';
import type { ApiKeyAuthService } from './keys/api-key-auth.service';
import type { AccountUsageService } from './plans/account-usage.service';
import { PlanCatalog } from './plans/plan.catalog';
import type { PlanSlotRepository } from './plans/plan-slot.repository';
import type { LimitedResource, PlanName } from './plans/plan.value-object';

const ACC = 'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
const scope = scopeOf(ACC);

/** An in-memory slot store with the one property that matters: a slot id is taken at most once. */
class FakeSlots {
  readonly slots = new Map<string, { resource: LimitedResource; slot: string; holderId: string }>();
  held = jest.fn(async (_s: unknown, resource: LimitedResource) =>
    [...this.slots.values()].filter((x) => x.resource === resource),
  );
  count = jest.fn(async (_s: unknown, resource: LimitedResource) => (await this.held(_s, resource)).length);
  tryTake = jest.fn(async (_s: unknown, resource: LimitedResource, slot: string, holderId: string) => {
    const id = `${resource}/${slot}`;
    if (this.slots.has(id)) return false;
    this.slots.set(id, { resource, slot, holderId });
    return true;
  });
  giveBackSlot = jest.fn(async (_s: unknown, resource: LimitedResource, slot: string) => {
    this.slots.delete(`${resource}/${slot}`);
  });
  usage = jest.fn(async () => {
    const held = (r: LimitedResource) => [...this.slots.values()].filter((x) => x.resource === r).length;
    return {
      apiKeys: held('apiKeys'),
      connections: held('connections'),
      webhooks: held('webhooks'),
      templates: held('templates'),
      autoReplies: held('autoReplies'),
      faqBots: held('faqBots'),
    };
  });
  release = jest.fn(async (_s: unknown, resource: LimitedResource, holderId: string) => {
    for (const [id, x] of this.slots)
      if (x.resource === resource && x.holderId === holderId) this.slots.delete(id);
  });
}

function setup(plan: PlanName, planLimits: PlanLimitOverrides = {}, clock = { nowMs: 1000 }) {
  const account: AccountRecord = {
    _id: ACC,
    name: 'a',
    plan,
    disabled: false,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  const accounts = {
    get: jest.fn(async () => account),
    update: jest.fn(async (_s: unknown, patch: Partial<AccountRecord>) => Object.assign(account, patch)),
  };
  const slots = new FakeSlots();
  const auth = { invalidateAccount: jest.fn() };
  const events = {
    accountUpdated: jest.fn(async () => undefined),
    accountCreated: jest.fn(async () => undefined),
  };
  const config = { auth: { keyCacheTtlMs: 5000 }, planLimits } as unknown as AppConfig;
  const service = new AccountsService(
    config,
    accounts as unknown as AccountRepository,
    slots as unknown as PlanSlotRepository,
    { of: slots.usage } as unknown as AccountUsageService,
    new PlanCatalog(config),
    auth as unknown as ApiKeyAuthService,
    events as unknown as AccountEventsProducer,
    { prefixed: (p: string) => `${p}_01JDQ8Z6W5V7Y2M3N4P5Q6R7S9` } as IdGenerator,
    { now: () => new Date(clock.nowMs), nowMs: () => clock.nowMs } as Clock,
  );
  return { service, account, accounts, slots, auth, events };
}

const expectLimit = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ status: 403, code: 'plan_limit_exceeded' });
};

describe('AccountsService.reserve', () => {
  it('gives the professional plan exactly five key slots, whatever the concurrency', async () => {
    const { service, slots } = setup('professional');
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => service.reserve(scope, 'apiKeys', `key_${i}`)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect([...slots.slots.values()].map((s) => s.slot).sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    await expectLimit(service.reserve(scope, 'apiKeys', 'key_x'));
  });

  it('reuses a released slot', async () => {
    const { service, slots } = setup('starter');
    await service.reserve(scope, 'connections', 'con_1');
    await expectLimit(service.reserveConnection(scope, 'con_2'));
    await service.releaseConnection(scope, 'con_1');
    await service.reserveConnection(scope, 'con_2');
    expect([...slots.slots.values()]).toEqual([{ resource: 'connections', slot: 'n0', holderId: 'con_2' }]);
  });

  it('takes a holder slot on an unlimited plan', async () => {
    const { service, slots } = setup('enterprise');
    for (let i = 0; i < 20; i++) await service.reserve(scope, 'apiKeys', `key_${i}`);
    expect(slots.slots.size).toBe(20);
    expect(slots.slots.has('apiKeys/h-key_7')).toBe(true);
  });

  it('after a downgrade, counts slots from the bigger plan and refuses until usage is under the limit', async () => {
    const { service, slots, account } = setup('enterprise');
    for (let i = 0; i < 3; i++) await service.reserve(scope, 'apiKeys', `key_${i}`);
    account.plan = 'starter';
    await expectLimit(service.reserve(scope, 'apiKeys', 'key_new'));
    await service.release(scope, 'apiKeys', 'key_0');
    await service.release(scope, 'apiKeys', 'key_1');
    await expectLimit(service.reserve(scope, 'apiKeys', 'key_new'));
    await service.release(scope, 'apiKeys', 'key_2');
    await service.reserve(scope, 'apiKeys', 'key_new');
    expect(slots.slots.size).toBe(1);
  });

  it('gives a slot back when a racing holder of an old slot pushes usage over the limit', async () => {
    const { service, slots, account } = setup('professional');
    account.plan = 'starter';
    // Between the read and the take, a slot from the old plan appears (e.g. written by another process).
    slots.held.mockImplementationOnce(async () => []);
    slots.slots.set('apiKeys/h-old', { resource: 'apiKeys', slot: 'h-old', holderId: 'old' });
    await expectLimit(service.reserve(scope, 'apiKeys', 'key_new'));
    expect(slots.giveBackSlot).toHaveBeenCalledWith(scope, 'apiKeys', 'n0');
    expect(slots.slots.size).toBe(1);
  });

  it('is 404 for an unknown account', async () => {
    const { service, accounts } = setup('starter');
    accounts.get.mockResolvedValueOnce(null as unknown as AccountRecord);
    await expect(service.reserve(scope, 'apiKeys', 'k')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await expect(service.get(scopeOf('not-an-id'))).rejects.toMatchObject({ status: 404 });
  });
});

describe('AccountsService.update', () => {
  it('writes only what changed, drops cached keys and publishes account.updated', async () => {
    const { service, accounts, auth, events } = setup('starter');
    await service.update(scope, { plan: 'starter', name: 'a' });
    expect(accounts.update).not.toHaveBeenCalled();
    await service.update(scope, { disabled: true, name: 'a' });
    expect(accounts.update).toHaveBeenCalledWith(scope, { disabled: true }, new Date(1000));
    expect(auth.invalidateAccount).toHaveBeenCalledWith(ACC);
    expect(events.accountUpdated).toHaveBeenCalledTimes(1);
  });
});

describe('AccountsService.overview', () => {
  it('is cached, and dropped at once by a change through this process', async () => {
    const { service, accounts, slots } = setup('professional');
    expect((await service.overview(scope)).usage).toEqual({
      apiKeys: 0,
      connections: 0,
      webhooks: 0,
      templates: 0,
      autoReplies: 0,
      faqBots: 0,
    });
    await service.overview(scope);
    expect(slots.usage).toHaveBeenCalledTimes(1);
    await service.reserve(scope, 'apiKeys', 'key_1');
    expect((await service.overview(scope)).usage.apiKeys).toBe(1);
    await service.release(scope, 'apiKeys', 'key_1');
    expect((await service.overview(scope)).usage.apiKeys).toBe(0);
    await service.update(scope, { plan: 'enterprise' });
    expect((await service.overview(scope)).account.plan).toBe('enterprise');
    expect(accounts.get.mock.calls.length).toBeGreaterThan(3);
  });
});

describe('AccountsService.overview after expiry', () => {
  it('answers the expired view at once while one reload runs, then the reloaded one', async () => {
    const clock = { nowMs: 1000 };
    const { service, slots } = setup('professional', {}, clock);
    await service.overview(scope);
    expect(slots.usage).toHaveBeenCalledTimes(1);
    clock.nowMs += 5001; // past API_KEY_CACHE_TTL_MS (5000 here)
    await service.reserve(scope, 'apiKeys', 'key_other_process'); // drops the view
    expect((await service.overview(scope)).usage.apiKeys).toBe(1); // no view: waits for the load
    clock.nowMs += 5001;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    slots.usage.mockImplementationOnce(async () => {
      await gate; // a slow usage count
      return { apiKeys: 2, connections: 0, webhooks: 0, templates: 0, autoReplies: 0, faqBots: 0 };
    });
    const stale = await Promise.all([service.overview(scope), service.overview(scope)]);
    expect(stale.map((v) => v.usage.apiKeys)).toEqual([1, 1]); // not waiting for the slow count
    expect(slots.usage).toHaveBeenCalledTimes(3); // one reload for both calls
    release();
    await new Promise((r) => setImmediate(r));
    expect((await service.overview(scope)).usage.apiKeys).toBe(2);
  });

  it('waits for the load when there is no view yet', async () => {
    const { service, slots } = setup('professional');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    slots.usage.mockImplementationOnce(async () => {
      await gate;
      return { apiKeys: 4, connections: 0, webhooks: 0, templates: 0, autoReplies: 0, faqBots: 0 };
    });
    const first = service.overview(scope);
    let settled = false;
    void first.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    release();
    expect((await first).usage.apiKeys).toBe(4);
  });
});

describe('AccountsService.planOf', () => {
  it('applies PLAN_LIMITS, is cached, and follows a plan change made through this process at once', async () => {
    const { service, accounts } = setup('starter', { starter: { pendingMessages: 7, sseStreams: null } });
    const plan = await service.planOf(scope);
    expect(plan.name).toBe('starter');
    expect(plan.limit('pendingMessages')).toBe(7);
    expect(plan.limit('sseStreams')).toBeNull();
    expect(plan.limit('apiKeys')).toBe(1);
    const reads = accounts.get.mock.calls.length;
    await service.planOf(scope);
    expect(accounts.get.mock.calls.length).toBe(reads);
    await service.update(scope, { plan: 'professional' });
    expect((await service.planOf(scope)).limit('pendingMessages')).toBe(10_000);
  });

  it('enforces an overridden plan-slot limit in reserve()', async () => {
    const { service } = setup('starter', { starter: { apiKeys: 2 } });
    await service.reserve(scope, 'apiKeys', 'key_1');
    await service.reserve(scope, 'apiKeys', 'key_2');
    await expectLimit(service.reserve(scope, 'apiKeys', 'key_3'));
  });
});
