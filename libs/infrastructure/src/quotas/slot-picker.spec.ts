import { ManualClock } from '@wwb/testing';
import { FREE_LIST_MS, FREE_SAMPLE, FULL_MEMORY_MS, SlotPicker, SlotProbe } from './slot-picker';

/** Slots in memory: a take succeeds once per slot; counts the writes and reads it was asked for. */
class MemoryProbe implements SlotProbe {
  readonly taken = new Set<string>();
  writes = 0;
  reads = 0;
  async tryTake(slot: string): Promise<boolean> {
    this.writes += 1;
    if (this.taken.has(slot)) return false;
    this.taken.add(slot);
    return true;
  }
  async held(): Promise<Iterable<string>> {
    this.reads += 1;
    return [...this.taken];
  }
}

describe('SlotPicker', () => {
  let clock: ManualClock;
  let picker: SlotPicker;
  let probe: MemoryProbe;

  beforeEach(() => {
    clock = new ManualClock();
    picker = new SlotPicker(clock);
    probe = new MemoryProbe();
  });

  it('well under the limit a slot costs one write and no read', async () => {
    const slot = await picker.pick('acc/pending', 1_000, probe);
    expect(slot).toMatch(/^n\d+$/);
    expect(probe).toMatchObject({ writes: 1, reads: 0 });
  });

  it('takes every slot up to the limit, each once', async () => {
    const got = [];
    for (let i = 0; i < 20; i++) got.push(await picker.pick('acc/pending', 20, probe));
    expect(new Set(got).size).toBe(20);
    expect([...probe.taken].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`).sort());
  });

  it('nearly full: the one free slot of 1,000 is found by reading the held ones once, not by guessing on', async () => {
    for (let i = 0; i < 1_000; i++) if (i !== 737) probe.taken.add(`n${i}`);
    expect(await picker.pick('acc/pending', 1_000, probe)).toBe('n737');
    // Eight random probes (one of them lucky 0.8% of the time), then the free one.
    expect(probe.writes).toBeLessThanOrEqual(9);
    expect(probe.reads).toBeLessThanOrEqual(1);
  });

  it('near the limit, the free slots one read found serve the next picks: a write each, no read, for FREE_LIST_MS', async () => {
    for (let i = 0; i < 900; i++) probe.taken.add(`n${i}`);
    // 90% held: eight random probes all miss 43% of the time, and a read follows.
    while (probe.reads === 0) expect(await picker.pick('acc/pending', 1_000, probe)).not.toBeNull();
    const writes = probe.writes;
    for (let i = 0; i < 50; i++) expect(await picker.pick('acc/pending', 1_000, probe)).toMatch(/^n9\d\d$/);
    expect(probe).toMatchObject({ writes: writes + 50, reads: 1 });
    // Another key does not use this key's list.
    const other = new MemoryProbe();
    for (let i = 0; i < 900; i++) other.taken.add(`n${i}`);
    while (other.reads === 0) await picker.pick('other/pending', 1_000, other);
    expect(probe.reads).toBe(1);

    clock.advance(FREE_LIST_MS);
    // Stale now: random probes again, and a read once they all miss.
    const taken = probe.taken.size;
    while (probe.reads === 1) await picker.pick('acc/pending', 1_000, probe);
    expect(probe.reads).toBe(2);
    expect(probe.taken.size).toBeGreaterThan(taken);
  });

  it('a read keeps a random sample of FREE_SAMPLE free slots; once they are used up the next pick reads again', async () => {
    const limit = FREE_SAMPLE * 4;
    for (let i = 0; i < FREE_SAMPLE * 2; i++) probe.taken.add(`n${i * 2}`);
    // Half held: eight random probes all miss once in 256 picks, and a read follows.
    while (probe.reads === 0) await picker.pick('acc/pending', limit, probe);
    const first = probe.taken.size;
    // The sample is random, not the lowest free slots.
    const fromList: number[] = [];
    for (let i = 0; i < FREE_SAMPLE - 1; i++) {
      const slot = await picker.pick('acc/pending', limit, probe);
      fromList.push(Number(slot!.slice(1)));
    }
    expect(probe.reads).toBe(1);
    expect(probe.taken.size).toBe(first + FREE_SAMPLE - 1);
    expect(Math.max(...fromList)).toBeGreaterThan(limit / 2);
    // The list is used up: the next picks guess again, and read again once guesses miss.
    while (probe.reads === 1) await picker.pick('acc/pending', limit, probe);
    expect(probe.reads).toBe(2);
  });

  it('a list read under a larger limit is not used past a smaller one', async () => {
    for (let i = 0; i < 900; i++) probe.taken.add(`n${i}`);
    // 900 of 1,000 held: the read finds n900-n999 free.
    while (probe.reads === 0) await picker.pick('acc/pending', 1_000, probe);
    const above = () => [...probe.taken].filter((s) => Number(s.slice(1)) >= 950).length;
    const before = above();
    // The plan now allows 950, and others took n900-n949: nothing fits, and nothing past n949 is taken.
    for (let i = 900; i < 950; i++) probe.taken.add(`n${i}`);
    expect(await picker.pick('acc/pending', 950, probe)).toBeNull();
    expect(above()).toBe(before);
  });

  it('refuses at the limit and then refuses the same key without asking the store for FULL_MEMORY_MS', async () => {
    for (let i = 0; i < 3; i++) await picker.pick('acc/pending', 3, probe);
    expect(await picker.pick('acc/pending', 3, probe)).toBeNull();
    expect(picker.isFull('acc/pending')).toBe(true);
    const asked = probe.writes + probe.reads;
    probe.taken.delete('n1');
    clock.ms += FULL_MEMORY_MS - 1;
    expect(await picker.pick('acc/pending', 3, probe)).toBeNull();
    expect(probe.writes + probe.reads).toBe(asked);
    // Another key is not affected.
    expect(picker.isFull('other/pending')).toBe(false);
    clock.ms += 1;
    expect(picker.isFull('acc/pending')).toBe(false);
    expect(await picker.pick('acc/pending', 3, probe)).toBe('n1');
  });

  it('forget ends the memory of a refusal at once (a slot given back in this process)', async () => {
    await picker.pick('acc/pending', 1, probe);
    expect(await picker.pick('acc/pending', 1, probe)).toBeNull();
    probe.taken.clear();
    picker.forget('acc/pending');
    expect(await picker.pick('acc/pending', 1, probe)).toBe('n0');
  });

  it('a limit of 0 refuses without a write', async () => {
    expect(await picker.pick('acc/pending', 0, probe)).toBeNull();
    expect(probe).toMatchObject({ writes: 0, reads: 0 });
  });
});
