/** insertOnce, bulkInsertTolerant and PageCursor against the real FerretDB. */
import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { bulkInsertTolerant, insertOnce, PageCursor, PagePosition } from '@wwb/infrastructure';
import { startContext, stopContext } from './infrastructure.harness';

jest.setTimeout(60_000);

interface Row {
  _id: string;
  at: Date;
  by?: string;
}

let context: INestApplicationContext;
let db: mongo.Db;

beforeAll(async () => {
  context = await startContext({});
  db = context.get<Connection>(getConnectionToken()).db!;
});

afterAll(async () => {
  await stopContext(context);
});

it('insertOnce: of 30 concurrent inserts of one _id exactly one wins, round after round', async () => {
  const rows = db.collection<Row>('once_rows');
  for (let round = 0; round < 5; round++) {
    const won = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        insertOnce(rows, { _id: `k${round}`, at: new Date(), by: `w${i}` }),
      ),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    const stored = await rows.findOne({ _id: `k${round}` });
    expect(stored!.by).toBe(`w${won.indexOf(true)}`);
  }
});

it('bulkInsertTolerant: reports the duplicates by index and inserts the rest', async () => {
  const rows = db.collection<Row>('bulk_rows');
  const at = new Date();
  expect(
    (
      await bulkInsertTolerant(rows, [
        { _id: 'a', at },
        { _id: 'c', at },
      ])
    ).duplicates.size,
  ).toBe(0);
  const outcome = await bulkInsertTolerant(rows, [
    { _id: 'a', at },
    { _id: 'b', at },
    { _id: 'c', at },
    { _id: 'd', at },
  ]);
  expect([...outcome.duplicates].sort()).toEqual([0, 2]);
  expect(await rows.countDocuments()).toBe(4);
  expect((await bulkInsertTolerant(rows, [])).duplicates.size).toBe(0);

  // Concurrent batches of overlapping ids: every id stored once, each duplicate reported once.
  const batches = Array.from({ length: 8 }, () =>
    Array.from({ length: 20 }, (_, i) => ({ _id: `x${i}`, at })),
  );
  const outcomes = await Promise.all(batches.map((b) => bulkInsertTolerant(rows, b)));
  const inserted = outcomes.reduce((n, o) => n + 20 - o.duplicates.size, 0);
  expect(inserted).toBe(20);
  expect(await rows.countDocuments({ _id: /^x/ })).toBe(20);
});

it('PageCursor pages newest first over ties without skipping or repeating', async () => {
  const rows = db.collection<Row>('paged_rows');
  const base = Date.parse('2026-12-01T10:00:00Z');
  // 5 distinct times, 6 rows each: every page boundary falls inside a tie.
  const docs = Array.from({ length: 30 }, (_, i) => ({
    _id: `r${String(i).padStart(2, '0')}`,
    at: new Date(base + (i % 5) * 1000),
  }));
  await rows.insertMany(docs);
  const expected = [...docs]
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? 1 : -1))
    .map((d) => d._id);

  for (const limit of [1, 4, 7]) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 40; page++) {
      const before: PagePosition | undefined = cursor ? PageCursor.decode(cursor) : undefined;
      const found = await rows
        .find(before ? PageCursor.after('at', before) : {})
        .sort({ at: -1, _id: -1 })
        .limit(limit)
        .toArray();
      seen.push(...found.map((d) => d._id));
      const last = found[found.length - 1];
      if (found.length < limit || !last) break;
      cursor = PageCursor.encode({ at: last.at, id: last._id });
    }
    expect(seen).toEqual(expected);
  }
});
