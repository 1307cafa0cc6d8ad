/**
 * LeaseRepository against the real FerretDB, which applies neither concurrent updates of one
 * document nor a delete-then-insert of one `_id` atomically: epochs decided by unique insert.
 */
import { INestApplicationContext } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { LEASE_MODEL, LeaseRecord, LeaseRepository, LeasesModule } from '@wwb/infrastructure';
import { ManualClock, startContext, stopContext } from './infrastructure.harness';

jest.setTimeout(60_000);

const TTL = 10_000;
const clock = new ManualClock();
let context: INestApplicationContext;
let leases: LeaseRepository;
let model: Model<LeaseRecord>;

beforeAll(async () => {
  context = await startContext({ imports: [LeasesModule] }, clock);
  leases = context.get(LeaseRepository);
  model = context.get(getModelToken(LEASE_MODEL));
});

afterAll(async () => {
  await stopContext(context);
});

const nodes = (n: number, round: number) => Array.from({ length: n }, (_, i) => `node-${round}-${i}`);

it('30 concurrent acquirers of an expired lease: exactly one winner, round after round', async () => {
  for (let round = 0; round < 6; round++) {
    const racers = nodes(30, round);
    const won = await Promise.all(racers.map((h) => leases.acquire('sweeper', h, TTL)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = racers[won.indexOf(true)]!;
    expect(await leases.current('sweeper')).toMatchObject({ holder: winner, epoch: round });
    expect(await leases.holds('sweeper', winner)).toBe(true);
    // While valid: the others are refused, the holder renews.
    expect(await leases.acquire('sweeper', racers[(won.indexOf(true) + 1) % 30]!, TTL)).toBe(false);
    expect(await leases.acquire('sweeper', winner, TTL)).toBe(true);
    clock.ms += TTL + 1;
  }
  // Old epochs are cleaned up by each winner: one or two documents, never one per round.
  expect(await model.countDocuments({ name: 'sweeper' })).toBeLessThanOrEqual(2);
});

it('renew-or-fail: only the current holder of a valid lease renews; never takes one', async () => {
  expect(await leases.renew('p1', 'a', TTL)).toBe(false); // never taken
  expect(await leases.acquire('p1', 'a', TTL)).toBe(true);
  clock.ms += 3_000;
  expect(await leases.renew('p1', 'a', TTL)).toBe(true);
  expect(await leases.renew('p1', 'b', TTL)).toBe(false);
  const renewed = await leases.current('p1');
  expect(renewed!.expiresAt.getTime()).toBe(clock.ms + TTL);

  clock.ms += TTL + 1; // expired: renewing is no longer allowed, taking over is
  expect(await leases.renew('p1', 'a', TTL)).toBe(false);
  expect(await leases.acquire('p1', 'b', TTL)).toBe(true);
  expect(await leases.renew('p1', 'a', TTL)).toBe(false);
  expect(await leases.renew('p1', 'b', TTL)).toBe(true);
  expect(await leases.current('p1')).toMatchObject({ holder: 'b', epoch: 1 });
});

it('release: the next node takes the next epoch at once; a non-holder cannot release', async () => {
  expect(await leases.acquire('p2', 'a', TTL)).toBe(true);
  await leases.release('p2', 'intruder');
  expect(await leases.acquire('p2', 'b', TTL)).toBe(false);
  await leases.release('p2', 'a');
  expect(await leases.holds('p2', 'a')).toBe(false);
  const won = await Promise.all(nodes(20, 99).map((h) => leases.acquire('p2', h, TTL)));
  expect(won.filter(Boolean)).toHaveLength(1);
  expect((await leases.current('p2'))!.epoch).toBe(1);
});

it('an old holder renewing too late while 20 nodes race for the next epoch: one holder', async () => {
  for (let round = 0; round < 5; round++) {
    const name = `mixed-${round}`;
    expect(await leases.acquire(name, 'holder', TTL)).toBe(true);
    clock.ms += TTL + 1;
    // The old holder tries to renew too late while 20 others race for the next epoch.
    const [renewed, ...won] = await Promise.all([
      leases.renew(name, 'holder', TTL),
      ...nodes(20, round).map((h) => leases.acquire(name, h, TTL)),
    ]);
    expect(renewed).toBe(false);
    expect(won.filter(Boolean)).toHaveLength(1);
    const current = await leases.current(name);
    expect(current!.holder).not.toBe('holder');
    expect(current!.epoch).toBe(1);
  }
});
