/**
 * WindowCounterStore against the real FerretDB, which loses concurrent updates of one document
 * (docs/architecture.md): each process writes only its own document per window, so processes
 * syncing at the same moment never lose each other's counts.
 */
import { INestApplicationContext } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import {
  WINDOW_COUNT_MODEL,
  WindowCountRecord,
  WindowCountRepository,
  WindowCounterStore,
  WindowCountsModule,
} from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { ManualClock, startContext, stopContext } from './infrastructure.harness';

jest.setTimeout(60_000);

const WINDOW = 60_000;
const clock = new ManualClock();
let context: INestApplicationContext;
let repository: WindowCountRepository;
let model: Model<WindowCountRecord>;

beforeAll(async () => {
  context = await startContext({ imports: [WindowCountsModule] }, clock);
  repository = context.get(WindowCountRepository);
  model = context.get(getModelToken(WINDOW_COUNT_MODEL));
});

afterAll(async () => {
  await stopContext(context);
});

const stores = (n: number, scope: string) =>
  Array.from(
    { length: n },
    () =>
      new WindowCounterStore(
        { scope, windowMs: WINDOW, syncMs: 0 },
        repository,
        clock,
        context.get(AppLogger).child({}),
      ),
  );

it('12 processes adding to the same keys and syncing at once: every one ends with the exact totals', async () => {
  const nodes = stores(12, 'race');
  const keys = ['k1', 'k2', 'k3'];
  const expected = new Map(keys.map((k) => [k, 0]));
  for (let round = 0; round < 8; round++) {
    nodes.forEach((node, i) => {
      for (const key of keys) {
        const n = ((i + round) % 4) + 1;
        node.add(key, clock.ms, n);
        expected.set(key, expected.get(key)! + n);
      }
    });
    await Promise.all(nodes.map((node) => node.sync()));
  }
  // One more round of reads: each sees what the others wrote in the last round.
  await Promise.all(nodes.map((node) => node.sync()));
  for (const node of nodes) {
    expect(keys.map((k) => node.count(k, clock.ms))).toEqual(keys.map((k) => expected.get(k)));
  }
  expect(await model.countDocuments({ scope: 'race' })).toBe(12);
});

it('keys with dots and colons (client addresses) round-trip', async () => {
  const [a, b] = stores(2, 'addresses');
  a!.add('203.0.113.7', clock.ms, 2);
  a!.add('2001:db8::1', clock.ms);
  await a!.sync();
  b!.add('203.0.113.7', clock.ms);
  await b!.sync();
  expect(b!.count('203.0.113.7', clock.ms)).toBe(3);
  expect(b!.count('2001:db8::1', clock.ms)).toBe(1);
});

it('a new window starts from zero, and windows before the previous one are swept', async () => {
  const [a, b] = stores(2, 'sweep');
  clock.ms = Math.ceil(clock.ms / WINDOW) * WINDOW;
  const first = clock.ms;
  for (let w = 0; w < 4; w++) {
    a!.add('k', clock.ms, 5);
    b!.add('k', clock.ms, 5);
    await a!.sync();
    await b!.sync();
    await a!.sync();
    expect(a!.count('k', clock.ms)).toBe(10);
    clock.ms += WINDOW;
  }
  const left = await model.find({ scope: 'sweep' }).lean();
  expect(new Set(left.map((d) => d.windowStart))).toEqual(new Set([first + 2 * WINDOW, first + 3 * WINDOW]));
});
