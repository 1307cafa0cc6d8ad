import { Model } from 'mongoose';
import { Clock } from '@wwb/runtime';
import { LeaseRepository } from './lease.repository';
import { LeaseRecord } from './lease.schema';

class FakeClock extends Clock {
  ms = 1_000_000;
  /** Time that passes during each write (a slow database). */
  writeMs = 0;
  override nowMs(): number {
    return this.ms;
  }
  override now(): Date {
    return new Date(this.ms);
  }
}

/** The few model calls LeaseRepository makes, over an in-memory map. */
function fakeModel(clock: FakeClock) {
  const docs = new Map<string, LeaseRecord>();
  const exec = <T>(v: T) => ({ exec: async () => v });
  const model = {
    docs,
    findOne: ({ name }: { name: string }) => ({
      sort: () => ({
        lean: () =>
          exec(
            [...docs.values()]
              .filter((d) => d.name === name)
              .sort((a, b) => b.epoch - a.epoch)
              .map((d) => ({ ...d }))[0] ?? null,
          ),
      }),
    }),
    updateOne: (f: { _id: string; holder: string }, u: { $set: Partial<LeaseRecord> }) => {
      clock.ms += clock.writeMs;
      const d = docs.get(f._id);
      if (d && d.holder === f.holder) Object.assign(d, u.$set);
      return exec({ matchedCount: d && d.holder === f.holder ? 1 : 0 });
    },
    deleteMany: ({ name, epoch }: { name: string; epoch: { $lt: number } }) => {
      for (const d of [...docs.values()]) if (d.name === name && d.epoch < epoch.$lt) docs.delete(d._id);
      return exec({});
    },
    modelName: 'Lease',
    collection: {
      insertOne: async (d: LeaseRecord) => {
        if (docs.has(d._id)) throw Object.assign(new Error('dup'), { code: 11000 });
        docs.set(d._id, { ...d });
      },
    },
  };
  return model;
}

describe('LeaseRepository', () => {
  let clock: FakeClock;
  let model: ReturnType<typeof fakeModel>;
  let leases: LeaseRepository;

  beforeEach(() => {
    clock = new FakeClock();
    model = fakeModel(clock);
    leases = new LeaseRepository(model as unknown as Model<LeaseRecord>, clock);
  });

  it('takes epoch 0, refuses others while valid, renews for the holder', async () => {
    expect(await leases.acquire('job', 'a', 1000)).toBe(true);
    expect(await leases.acquire('job', 'b', 1000)).toBe(false);
    clock.ms += 500;
    expect(await leases.acquire('job', 'a', 1000)).toBe(true);
    expect((await leases.current('job'))!.expiresAt.getTime()).toBe(clock.ms + 1000);
    expect([...model.docs.keys()]).toEqual(['job#0']);
  });

  it('after expiry the next holder inserts the next epoch and cleans up older ones', async () => {
    await leases.acquire('job', 'a', 1000);
    clock.ms += 1001;
    expect(await leases.acquire('job', 'b', 1000)).toBe(true);
    expect([...model.docs.keys()]).toEqual(['job#1']);
    expect(await leases.holds('job', 'b')).toBe(true);
    expect(await leases.holds('job', 'a')).toBe(false);
  });

  it('a renewal written after the old expiry does not count, and gives the epoch up', async () => {
    await leases.acquire('job', 'a', 1000);
    clock.ms += 900;
    clock.writeMs = 200; // the write lands 100 ms after the expiry a racer may have seen
    expect(await leases.renew('job', 'a', 1000)).toBe(false);
    expect((await leases.current('job'))!.expiresAt.getTime()).toBe(0);
    clock.writeMs = 0;
    expect(await leases.acquire('job', 'b', 1000)).toBe(true);
    expect((await leases.current('job'))!.epoch).toBe(1);
  });

  it('a node inserting an old epoch that was cleaned up does not get the lease', async () => {
    await leases.acquire('job', 'a', 1000);
    clock.ms += 1001;
    await leases.acquire('job', 'b', 1000); // epoch 1, epoch 0 deleted
    // A slow node that read epoch -1 ("none") long ago now inserts epoch 0.
    const take = (
      leases as unknown as { take: (n: string, h: string, e: number, t: number) => Promise<boolean> }
    ).take;
    expect(await take.call(leases, 'job', 'slow', 0, 1000)).toBe(false);
    expect((await leases.current('job'))!.holder).toBe('b');
  });

  it('release ends only the holder’s lease', async () => {
    await leases.acquire('job', 'a', 1000);
    await leases.release('job', 'b');
    expect(await leases.holds('job', 'a')).toBe(true);
    await leases.release('job', 'a');
    expect(await leases.holds('job', 'a')).toBe(false);
    expect(await leases.acquire('job', 'b', 1000)).toBe(true);
  });
});
