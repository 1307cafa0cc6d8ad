import type { Logger } from 'pino';
import type { Clock } from '@wwb/runtime';
import { MemoryWindowCounts } from '@wwb/testing';
import { WindowCounterOptions, WindowCounterStore } from './window-counter.store';

const W = 10_000;

function setup(options: Partial<WindowCounterOptions> = {}) {
  const clock = { now: 0, nowMs: () => clock.now };
  const db = new MemoryWindowCounts();
  const logs: string[] = [];
  const logger = {
    warn: (_: unknown, msg: string) => logs.push(`warn ${msg}`),
    info: (_: unknown, msg: string) => logs.push(`info ${msg}`),
  } as unknown as Logger;
  const store = (more: Partial<WindowCounterOptions> = {}) =>
    new WindowCounterStore(
      { scope: 'test', windowMs: W, syncMs: 100, ...options, ...more },
      db,
      clock as unknown as Clock,
      logger,
    );
  return { clock, db, logs, store };
}

describe('WindowCounterStore', () => {
  it('counts per key in fixed windows aligned to the clock, and starts again in the next window', () => {
    const { clock, store } = setup();
    const a = store();
    clock.now = 25_000;
    a.add('k', clock.now);
    a.add('k', clock.now, 2);
    a.add('other', clock.now);
    expect(a.count('k', clock.now)).toBe(3);
    expect(a.count('other', clock.now)).toBe(1);
    expect(a.count('unknown', clock.now)).toBe(0);
    expect(a.msToWindowEnd(25_000)).toBe(5_000);
    expect(a.count('k', 29_999)).toBe(3);
    expect(a.count('k', 30_000)).toBe(0);
    expect(a.msToWindowEnd(30_000)).toBe(10_000);
  });

  it('adds the counts other processes published for the window at each sync, not its own twice', async () => {
    const { clock, store } = setup();
    const a = store();
    const b = store();
    a.add('k', clock.now, 4);
    b.add('k', clock.now, 3);
    b.add('only-b', clock.now);
    expect(a.count('k', clock.now)).toBe(4);
    await b.sync();
    await a.sync();
    expect(a.count('k', clock.now)).toBe(7);
    expect(a.count('only-b', clock.now)).toBe(1);
    // b read before a wrote: it learns of a's 4 at its next sync.
    expect(b.count('k', clock.now)).toBe(3);
    a.add('k', clock.now);
    expect(a.count('k', clock.now)).toBe(8);
    await a.sync();
    await b.sync();
    expect(b.count('k', clock.now)).toBe(8);
    expect(a.count('k', clock.now)).toBe(8);
  });

  it('ignores what others published for another window', async () => {
    const { clock, store } = setup();
    const a = store();
    const b = store();
    b.add('k', clock.now, 5);
    await b.sync();
    clock.now = W;
    a.add('k', clock.now);
    await a.sync();
    expect(a.count('k', clock.now)).toBe(1);
  });

  it('an idle process neither writes nor reads; a changed count is written once', async () => {
    const { clock, db, store } = setup();
    const a = store();
    await a.sync();
    expect(db.docs.size).toBe(0);
    a.add('k', clock.now);
    await a.sync();
    await a.sync();
    expect(db.writes).toBe(1);
    expect([...db.docs.values()]).toEqual([
      { scope: 'test', windowStart: 0, node: a.node, counts: [['k', 1]] },
    ]);
  });

  it('sweeps windows older than the previous one', async () => {
    const { clock, db, store } = setup();
    const a = store();
    for (const at of [0, W, 2 * W]) {
      clock.now = at;
      a.add('k', at);
      await a.sync();
    }
    expect([...db.docs.values()].map((d) => d.windowStart).sort()).toEqual([W, 2 * W]);
  });

  it('when the database fails: keeps counting locally, logs once, logs the recovery, then shares again', async () => {
    const { clock, db, logs, store } = setup();
    const a = store();
    const b = store();
    db.down = true;
    a.add('k', clock.now, 2);
    await a.sync();
    a.add('k', clock.now);
    await a.sync();
    expect(a.count('k', clock.now)).toBe(3);
    expect(logs).toEqual([
      'warn cannot share limit counts through MongoDB: each process limits on its own until it is back',
    ]);
    db.down = false;
    await a.sync();
    expect(logs[1]).toBe('info shared limit counts are back: limits apply across processes again');
    b.add('k', clock.now);
    await b.sync();
    expect(b.count('k', clock.now)).toBe(4);
  });

  it('republishes counts whose write failed', async () => {
    const { clock, db, store } = setup();
    const a = store();
    a.add('k', clock.now);
    db.down = true;
    await a.sync();
    db.down = false;
    await a.sync();
    expect([...db.docs.values()][0]!.counts).toEqual([['k', 1]]);
  });

  it('stays within maxKeys under a flood of keys, keeping the newest', () => {
    const { clock, store } = setup();
    const a = store({ maxKeys: 100 });
    for (let i = 0; i < 150; i++) a.add(`addr-${i}`, clock.now);
    expect(a.ownKeys).toBe(100);
    expect(a.count('addr-149', clock.now)).toBe(1);
    expect(a.count('addr-0', clock.now)).toBe(0);
  });

  it('a clock going backwards stays in the current window', () => {
    const { store } = setup();
    const a = store();
    a.add('k', 2 * W + 5);
    expect(a.count('k', 2 * W - 5)).toBe(1);
  });

  it('start() syncs on its timer; syncMs 0 never does', async () => {
    jest.useFakeTimers();
    try {
      const { clock, db, store } = setup();
      const a = store();
      const never = store({ syncMs: 0 });
      a.add('k', clock.now);
      never.add('n', clock.now);
      a.start();
      never.start();
      await jest.advanceTimersByTimeAsync(250);
      await a.stop();
      await never.stop();
      expect([...db.docs.values()].map((d) => d.node)).toEqual([a.node]);
    } finally {
      jest.useRealTimers();
    }
  });
});
