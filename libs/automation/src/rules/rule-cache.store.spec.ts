import type { AppLogger } from '@wwb/observability';
import { scopeOf } from '@wwb/persistence';
import type { Clock } from '@wwb/runtime';
import { RuleCacheStore, RULES_REVISION_CHECK_MS } from './rule-cache.store';
import { toRecord } from './rule.mapper';
import type { RuleRepository } from './rule.repository';
import type { AutoReplyRecord } from './rule.schema';

class FakeClock {
  ms = 1_000_000;
  nowMs(): number {
    return this.ms;
  }
}

/** The two reads the cache makes, counted. */
class FakeRepository {
  revisionValue = 1;
  records: AutoReplyRecord[] = [];
  revisionReads = 0;
  loads = 0;
  gate?: Promise<void>;

  async revision(): Promise<number> {
    this.revisionReads++;
    return this.revisionValue;
  }
  async all(): Promise<AutoReplyRecord[]> {
    this.loads++;
    const snapshot = [...this.records];
    if (this.gate) await this.gate;
    return snapshot;
  }
}

const record = (id: string, priority: number, over: { connectionIds?: string[]; enabled?: boolean } = {}) =>
  toRecord(
    { id, accountId: 'acc_1', createdAt: new Date(0), updatedAt: new Date(0) },
    {
      name: id,
      priority,
      enabled: over.enabled ?? true,
      stopOnMatch: true,
      connectionIds: over.connectionIds ?? [],
      conditions: { mode: 'all', items: [{ type: 'text', op: 'contains', value: id }] },
      actions: [{ type: 'reply', text: 'x' }],
      cooldownSeconds: 0,
    },
  );

const logger = { child: () => ({ warn: jest.fn() }) } as unknown as AppLogger;
const scope = scopeOf('acc_1');

describe('RuleCacheStore', () => {
  let clock: FakeClock;
  let repo: FakeRepository;
  let store: RuleCacheStore;

  beforeEach(() => {
    clock = new FakeClock();
    repo = new FakeRepository();
    repo.records = [
      record('b', 2),
      record('a', 1),
      record('off', 0, { enabled: false }),
      record('c', 3, { connectionIds: ['con_B'] }),
    ];
    store = new RuleCacheStore(repo as unknown as RuleRepository, clock as unknown as Clock, logger);
  });

  it('compiles once, sorted, filtered per connection; no read within the check interval', async () => {
    const first = await store.serving(scope, 'con_A');
    expect(first.map((r) => r.id)).toEqual(['a', 'b']);
    expect((await store.serving(scope, 'con_B')).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    clock.ms += RULES_REVISION_CHECK_MS - 1;
    expect(await store.serving(scope, 'con_A')).toBe(first);
    expect(repo.revisionReads).toBe(1);
    expect(repo.loads).toBe(1);
  });

  it('after the interval reads the revision only, and reloads when it changed', async () => {
    const first = await store.serving(scope, 'con_A');
    clock.ms += RULES_REVISION_CHECK_MS;
    expect(await store.serving(scope, 'con_A')).toBe(first);
    expect([repo.revisionReads, repo.loads]).toEqual([2, 1]);

    repo.records = [record('z', 1)];
    repo.revisionValue = 2; // another process changed the rules
    expect((await store.serving(scope, 'con_A')).map((r) => r.id)).toEqual(['a', 'b']); // within the interval
    clock.ms += RULES_REVISION_CHECK_MS;
    expect((await store.serving(scope, 'con_A')).map((r) => r.id)).toEqual(['z']);
    expect(repo.loads).toBe(2);
  });

  it('an in-process change event drops the account at once', async () => {
    await store.serving(scope, 'con_A');
    repo.records = [record('new', 5)];
    repo.revisionValue = 2;
    store.invalidate({ accountId: 'acc_1' });
    expect((await store.serving(scope, 'con_A')).map((r) => r.id)).toEqual(['new']);
  });

  it('concurrent callers share one load; a load overtaken by a change is not cached', async () => {
    let open!: () => void;
    repo.gate = new Promise((resolve) => (open = resolve));
    const a = store.serving(scope, 'con_A');
    const b = store.serving(scope, 'con_A');
    await Promise.resolve();
    await Promise.resolve();
    repo.records = [record('after', 1)];
    repo.revisionValue = 2;
    store.invalidate({ accountId: 'acc_1' });
    open();
    expect((await a).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await b).map((r) => r.id)).toEqual(['a', 'b']);
    repo.gate = undefined;
    expect((await store.serving(scope, 'con_A')).map((r) => r.id)).toEqual(['after']);
    expect(repo.loads).toBe(2);
  });

  it('skips a stored rule that no longer compiles', async () => {
    const broken = record('broken', 0);
    broken.conditionsJson = JSON.stringify({
      mode: 'all',
      items: [{ type: 'text', op: 'regex', value: '(' }],
    });
    repo.records = [broken, record('ok', 1)];
    expect((await store.serving(scope, 'con_A')).map((r) => r.id)).toEqual(['ok']);
  });
});
