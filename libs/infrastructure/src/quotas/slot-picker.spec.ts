import { ManualClock } from '@wwb/testing';
import { FULL_MEMORY_MS, SlotPicker, SlotProbe } from './slot-picker';

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
    // Six random probes (one of them lucky 0.6% of the time), then at most the free one.
    expect(probe.writes).toBeLessThanOrEqual(7);
    expect(probe.reads).toBeLessThanOrEqual(1);
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
