import { scopeOf } from '@wwb/persistence';
import type { FaqBotRepository } from './faq-bot.repository';
import type { FaqBotRecord } from './faq-bot.schema';
import { FaqServingStore, SERVING_CHECK_MS } from './faq-serving.store';
import { ManualClock } from '@wwb/testing';

const bot = (id: string, accountId = 'acc_a'): FaqBotRecord => ({
  _id: id,
  accountId,
  name: id,
  language: 'en',
  threshold: 0.35,
  fallbackAnswer: null,
  handoffAfterMisses: 3,
  connectionIds: [],
  mode: 'fallback',
  enabled: true,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

/** The database as another process changes it: bots and the account's revision per account. */
class FakeRepository {
  bots = new Map<string, FaqBotRecord[]>();
  revisions = new Map<string, string | null>();
  reads = { revision: 0, bots: 0 };
  gate: Promise<void> | null = null;

  async accountRevision(scope: { accountId: string }): Promise<string | null> {
    this.reads.revision++;
    return this.revisions.get(scope.accountId) ?? null;
  }

  async enabled(scope: { accountId: string }): Promise<FaqBotRecord[]> {
    this.reads.bots++;
    const list = [...(this.bots.get(scope.accountId) ?? [])];
    if (this.gate) await this.gate;
    return list;
  }

  entryRevisions = new Map<string, string>();
  botReads = 0;

  async get(scope: { accountId: string }, id: string): Promise<FaqBotRecord | null> {
    this.botReads++;
    return (this.bots.get(scope.accountId) ?? []).find((b) => b._id === id) ?? null;
  }

  async revision(_scope: { accountId: string }, id: string): Promise<string | null> {
    return this.entryRevisions.get(id) ?? null;
  }

  /** A change written by another process: the bots, then the revision. */
  change(accountId: string, bots: FaqBotRecord[], revision: string): void {
    this.bots.set(accountId, bots);
    this.revisions.set(accountId, revision);
  }
}

describe('FaqServingStore', () => {
  const a = scopeOf('acc_a');
  let clock: ManualClock;
  let repo: FakeRepository;
  let store: FaqServingStore;
  const ids = async (scope = a) => (await store.enabled(scope)).map((b) => b._id);

  beforeEach(() => {
    clock = new ManualClock(1_000_000);
    repo = new FakeRepository();
    repo.change('acc_a', [bot('faq_1')], 'r1');
    store = new FaqServingStore(repo as unknown as FaqBotRepository, clock);
  });

  it('reads the bots once, then serves them without a query until the check interval passes', async () => {
    expect(await ids()).toEqual(['faq_1']);
    expect(repo.reads).toEqual({ revision: 1, bots: 1 });
    for (let i = 0; i < 10; i++) {
      clock.ms += (SERVING_CHECK_MS - 1) / 10;
      expect(await ids()).toEqual(['faq_1']);
    }
    expect(repo.reads).toEqual({ revision: 1, bots: 1 });
  });

  it('after the interval, one revision read; the bots are read again only when it changed', async () => {
    await ids();
    clock.ms += SERVING_CHECK_MS;
    expect(await ids()).toEqual(['faq_1']);
    expect(repo.reads).toEqual({ revision: 2, bots: 1 });

    // Another process adds a bot: unseen until the next check, seen at it.
    repo.change('acc_a', [bot('faq_1'), bot('faq_2')], 'r2');
    clock.ms += SERVING_CHECK_MS - 1;
    expect(await ids()).toEqual(['faq_1']);
    clock.ms += 1;
    expect(await ids()).toEqual(['faq_1', 'faq_2']);
    expect(repo.reads).toEqual({ revision: 3, bots: 2 });
  });

  it('forget() (a change made by this process) is used at once', async () => {
    await ids();
    repo.change('acc_a', [], 'r2');
    store.forget('acc_a');
    expect(await ids()).toEqual([]);
    expect(repo.reads).toEqual({ revision: 2, bots: 2 });
  });

  it('an account that never had a bot is cached under the null revision until its first bot', async () => {
    const b = scopeOf('acc_b');
    expect(await ids(b)).toEqual([]);
    clock.ms += SERVING_CHECK_MS;
    expect(await ids(b)).toEqual([]);
    expect(repo.reads).toEqual({ revision: 2, bots: 1 });
    repo.change('acc_b', [bot('faq_9', 'acc_b')], 'r1');
    clock.ms += SERVING_CHECK_MS;
    expect(await ids(b)).toEqual(['faq_9']);
  });

  it('forget() reaches every store of the process (the module may be composed twice)', async () => {
    const other = new FaqServingStore(repo as unknown as FaqBotRepository, clock);
    other.onModuleInit();
    store.onModuleInit();
    try {
      expect((await other.enabled(a)).map((b) => b._id)).toEqual(['faq_1']);
      repo.change('acc_a', [], 'r2');
      store.forget('acc_a');
      expect(await other.enabled(a)).toEqual([]);
    } finally {
      other.onModuleDestroy();
      store.onModuleDestroy();
    }
  });

  it('keeps accounts apart', async () => {
    repo.change('acc_b', [bot('faq_9', 'acc_b')], 'x1');
    expect(await ids()).toEqual(['faq_1']);
    expect(await ids(scopeOf('acc_b'))).toEqual(['faq_9']);
    store.forget('acc_b');
    expect(await ids()).toEqual(['faq_1']);
    expect(repo.reads.bots).toBe(2);
  });

  it('concurrent callers share one read', async () => {
    const results = await Promise.all([ids(), ids(), ids()]);
    expect(results).toEqual([['faq_1'], ['faq_1'], ['faq_1']]);
    expect(repo.reads).toEqual({ revision: 1, bots: 1 });
  });

  it('a read that overlapped a forget() is returned but not kept', async () => {
    let open!: () => void;
    repo.gate = new Promise((resolve) => (open = resolve));
    const stale = store.enabled(a); // reads the bots as they were
    await Promise.resolve();
    await Promise.resolve();
    repo.change('acc_a', [bot('faq_1'), bot('faq_3')], 'r2');
    store.forget('acc_a');
    open();
    repo.gate = null;
    expect((await stale).map((b) => b._id)).toEqual(['faq_1']);
    expect(await ids()).toEqual(['faq_1', 'faq_3']);
  });

  describe('bot() (asked on every message a bot answers)', () => {
    it("reads a bot and its entries revision once per check interval; another process's change is seen at the next check", async () => {
      repo.entryRevisions.set('faq_1', 'e1');
      expect(await store.bot(a, 'faq_1')).toMatchObject({ bot: { _id: 'faq_1' }, revision: 'e1' });
      await Promise.all([store.bot(a, 'faq_1'), store.bot(a, 'faq_1')]);
      expect(repo.botReads).toBe(1);
      repo.entryRevisions.set('faq_1', 'e2');
      clock.ms += SERVING_CHECK_MS - 1;
      expect((await store.bot(a, 'faq_1'))?.revision).toBe('e1');
      clock.ms += 1;
      expect((await store.bot(a, 'faq_1'))?.revision).toBe('e2');
      expect(repo.botReads).toBe(2);
    });

    it("forget() drops the account's bots; a missing bot or another account's is null and not kept", async () => {
      await store.bot(a, 'faq_1');
      repo.change('acc_a', [{ ...bot('faq_1'), threshold: 0.9 }], 'r2');
      store.forget('acc_a');
      expect((await store.bot(a, 'faq_1'))?.bot.threshold).toBe(0.9);
      expect(await store.bot(scopeOf('acc_b'), 'faq_1')).toBeNull();
      expect(await store.bot(a, 'faq_404')).toBeNull();
      repo.change('acc_a', [bot('faq_1'), bot('faq_404')], 'r3');
      expect(await store.bot(a, 'faq_404')).toMatchObject({ bot: { _id: 'faq_404' } });
    });
  });
});
