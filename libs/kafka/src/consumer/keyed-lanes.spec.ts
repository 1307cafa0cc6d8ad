import { KeyedLanes } from './keyed-lanes';

/** A task that runs until the test releases it; records when it started. */
function gate(log: string[], name: string): { task: () => Promise<void>; release(): void; fail(): void } {
  let release!: () => void;
  let fail!: () => void;
  const done = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = () => reject(new Error(`${name} failed`));
  });
  return {
    task: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    release: () => release(),
    fail: () => fail(),
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedLanes', () => {
  it('runs the tasks of one key in push order, one at a time', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const p1 = lanes.push('a', a1.task);
    const p2 = lanes.push('a', a2.task);
    await tick();
    expect(log).toEqual(['start a1']);
    a2.release(); // released early: still waits for a1
    await tick();
    expect(log).toEqual(['start a1']);
    a1.release();
    await Promise.all([p1, p2]);
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
  });

  it('never holds a key behind a blocked task of another key', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const blocked = gate(log, 'a');
    void lanes.push('a', blocked.task);
    const b = gate(log, 'b');
    const pb = lanes.push('b', b.task);
    b.release();
    await pb;
    await tick(); // the count drops once the lane's tail settles, just after the task
    expect(log).toEqual(['start a', 'start b', 'end b']);
    expect(lanes.size).toBe(1);
    blocked.release();
    await lanes.idle();
    expect(lanes.size).toBe(0);
    expect(lanes.lanes).toBe(0);
  });

  it('settles each push like its task, and a failure does not stop the lane', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const bad = gate(log, 'bad');
    const good = gate(log, 'good');
    const pBad = lanes.push('k', bad.task);
    const pGood = lanes.push('k', good.task);
    bad.fail();
    await expect(pBad).rejects.toThrow('bad failed');
    good.release();
    await expect(pGood).resolves.toBeUndefined();
    expect(log).toEqual(['start bad', 'start good', 'end good']);
  });

  it('whenBelow resolves only once enough tasks have settled', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const gates = ['a', 'b', 'c'].map((k) => gate(log, k));
    gates.forEach((g, i) => void lanes.push(`k${i}`, g.task));
    expect(lanes.size).toBe(3);
    let below = false;
    void lanes.whenBelow(2).then(() => (below = true));
    await tick();
    expect(below).toBe(false);
    gates[0]!.release();
    await tick();
    await tick();
    expect(below).toBe(false); // 2 left, not below 2
    gates[1]!.release();
    await tick();
    await tick();
    expect(below).toBe(true);
    gates[2]!.release();
    await lanes.idle();
  });
});
