import { mongo } from 'mongoose';

export interface InsertOutcome {
  /** Indexes (in the given array) of documents that were already there (duplicate key). */
  duplicates: Set<number>;
}

/**
 * Unordered insertMany that tolerates duplicate keys (redone work) and reports which documents
 * were duplicates. Any other write error is thrown.
 */
export async function insertManyIgnoringDuplicates<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  docs: T[],
): Promise<InsertOutcome> {
  const duplicates = new Set<number>();
  if (docs.length === 0) return { duplicates };
  try {
    await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (err) {
    const writeErrors = bulkWriteErrors(err);
    if (!writeErrors || writeErrors.some((w) => w.code !== 11000)) throw err;
    for (const w of writeErrors) if (typeof w.index === 'number') duplicates.add(w.index);
  }
  return { duplicates };
}

function bulkWriteErrors(err: unknown): { code?: number; index?: number }[] | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors)) return writeErrors.map(plain);
  if (writeErrors && typeof writeErrors === 'object') return [plain(writeErrors)];
  return undefined;
}

function plain(w: unknown): { code?: number; index?: number } {
  const o = w as { code?: number; index?: number; err?: { code?: number; index?: number } };
  return { code: o.code ?? o.err?.code, index: o.index ?? o.err?.index };
}
