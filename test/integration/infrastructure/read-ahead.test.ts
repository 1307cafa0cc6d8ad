/**
 * readAhead against the real FerretDB: every document once, in batches, the next batch asked for
 * while the caller still works on the current one, and the server cursor closed however the
 * loop ends.
 */
import { mongo } from 'mongoose';
import { readAhead } from '@wwb/infrastructure';
import { testEnv } from '@wwb/testing';

jest.setTimeout(60_000);

interface Row {
  _id: number;
  pad: string;
}

const COUNT = 1_234;
const BATCH = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let client: mongo.MongoClient;
let rows: mongo.Collection<Row>;
/** Commands sent (name, when started, when finished), from the driver's command monitoring. */
let log: { name: string; startedAt: number; endedAt?: number; requestId: number }[] = [];

beforeAll(async () => {
  client = new mongo.MongoClient(testEnv().MONGO_URI!, { monitorCommands: true });
  await client.connect();
  rows = client.db().collection<Row>('read_ahead_rows');
  client.on('commandStarted', (e) =>
    log.push({ name: e.commandName, startedAt: performance.now(), requestId: e.requestId }),
  );
  const ended = (e: { requestId: number }) => {
    const entry = log.find((l) => l.requestId === e.requestId);
    if (entry) entry.endedAt = performance.now();
  };
  client.on('commandSucceeded', ended);
  client.on('commandFailed', ended);
  const pad = 'x'.repeat(200);
  await rows.insertMany(Array.from({ length: COUNT }, (_, i) => ({ _id: i, pad })));
});

afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

beforeEach(() => {
  log = [];
});

it('yields every document once, in batches of the cursor batch size', async () => {
  const sizes: number[] = [];
  const ids: number[] = [];
  for await (const batch of readAhead(rows.find({}, { batchSize: BATCH }))) {
    sizes.push(batch.length);
    ids.push(...batch.map((r) => r._id));
  }
  expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  expect(sizes).toEqual([...Array<number>(12).fill(BATCH), COUNT - 12 * BATCH]);
});

it('asks for the next batch before the caller is done with the current one', async () => {
  // While the caller works on a batch (60 ms here), the next one is already on its way: each
  // getMore starts before the loop body of the batch before it returns.
  const bodyEndedAt: number[] = [];
  for await (const batch of readAhead(rows.find({ _id: { $lt: 500 } }, { batchSize: BATCH }))) {
    expect(batch.length).toBeGreaterThan(0);
    await sleep(60);
    bodyEndedAt.push(performance.now());
  }
  const getMores = log.filter((l) => l.name === 'getMore');
  expect(getMores.length).toBeGreaterThanOrEqual(4);
  // getMore k (fetching batch k+2) started before the body of batch k+1 ended
  getMores.forEach((g, k) => {
    if (k < bodyEndedAt.length) expect(g.startedAt).toBeLessThan(bodyEndedAt[k]!);
  });
  // and with a 60 ms body, the caller never waited a whole round trip: each arrived in time
  const lateArrivals = getMores.filter((g, k) => k < bodyEndedAt.length && g.endedAt! > bodyEndedAt[k]!);
  expect(lateArrivals.length).toBeLessThanOrEqual(1);
});

it('closes the server cursor when the caller stops early', async () => {
  const cursor = rows.find({}, { batchSize: BATCH });
  let seen = 0;
  for await (const batch of readAhead(cursor)) {
    seen += batch.length;
    if (seen >= 2 * BATCH) break;
  }
  expect(seen).toBe(2 * BATCH);
  // the driver marks a cursor it killed as `killed` (`closed` is for exhausted ones)
  expect(cursor.killed).toBe(true);
  expect(log.some((l) => l.name === 'killCursors')).toBe(true);
});

it('hands a server error to the caller and closes the cursor', async () => {
  const cursor = rows.find({ $bogus: 1 } as never, { batchSize: BATCH });
  const loop = async () => {
    for await (const batch of readAhead(cursor)) void batch;
  };
  await expect(loop()).rejects.toThrow(/bogus/i);
  expect(cursor.closed || cursor.killed).toBe(true);
});
