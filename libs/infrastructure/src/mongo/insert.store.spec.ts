import { mongo } from 'mongoose';
import { bulkInsertTolerant, insertOnce, isDuplicateKey } from './insert.store';

const dupError = () => Object.assign(new Error('E11000 duplicate key'), { code: 11000 });

function fakeCollection(insertOne: () => Promise<unknown>, insertMany: () => Promise<unknown> = insertOne) {
  return { insertOne: jest.fn(insertOne), insertMany: jest.fn(insertMany) } as unknown as mongo.Collection<{
    _id: string;
  }>;
}

describe('insertOnce', () => {
  it('true when inserted, false on a duplicate key, throws anything else', async () => {
    await expect(
      insertOnce(
        fakeCollection(async () => ({})),
        { _id: 'a' },
      ),
    ).resolves.toBe(true);
    await expect(
      insertOnce(
        fakeCollection(() => Promise.reject(dupError())),
        { _id: 'a' },
      ),
    ).resolves.toBe(false);
    await expect(
      insertOnce(
        fakeCollection(() => Promise.reject(new Error('down'))),
        { _id: 'a' },
      ),
    ).rejects.toThrow('down');
  });

  it('recognises the duplicate key error by its code', () => {
    expect(isDuplicateKey(dupError())).toBe(true);
    expect(isDuplicateKey({ code: 11001 })).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
  });
});

describe('bulkInsertTolerant', () => {
  const docs = [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }];

  it('reports duplicate indexes (array or single write error, driver or legacy shape)', async () => {
    const many = Object.assign(new Error('bulk'), {
      writeErrors: [{ code: 11000, index: 0 }, { err: { code: 11000, index: 2 } }],
    });
    const one = Object.assign(new Error('bulk'), { writeErrors: { code: 11000, index: 1 } });
    const c1 = fakeCollection(
      async () => ({}),
      () => Promise.reject(many),
    );
    const c2 = fakeCollection(
      async () => ({}),
      () => Promise.reject(one),
    );
    expect([...(await bulkInsertTolerant(c1, docs)).duplicates]).toEqual([0, 2]);
    expect([...(await bulkInsertTolerant(c2, docs)).duplicates]).toEqual([1]);
  });

  it('throws when any write error is not a duplicate, or the error is not a bulk error', async () => {
    const mixed = Object.assign(new Error('bulk'), {
      writeErrors: [
        { code: 11000, index: 0 },
        { code: 121, index: 1 },
      ],
    });
    await expect(
      bulkInsertTolerant(
        fakeCollection(
          async () => ({}),
          () => Promise.reject(mixed),
        ),
        docs,
      ),
    ).rejects.toBe(mixed);
    await expect(
      bulkInsertTolerant(
        fakeCollection(
          async () => ({}),
          () => Promise.reject(new Error('down')),
        ),
        docs,
      ),
    ).rejects.toThrow('down');
  });

  it('does not call the database for nothing, and inserts unordered', async () => {
    const c = fakeCollection(async () => ({}));
    expect((await bulkInsertTolerant(c, [])).duplicates.size).toBe(0);
    expect(c.insertMany).not.toHaveBeenCalled();
    await bulkInsertTolerant(c, docs);
    expect(c.insertMany).toHaveBeenCalledWith(docs, { ordered: false });
  });
});
