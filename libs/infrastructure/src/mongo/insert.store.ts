import { Model, mongo } from 'mongoose';

/** A mongoose model or the driver collection behind it. */
export type InsertTarget<T extends mongo.Document> = Model<T> | mongo.Collection<T>;

export interface InsertOutcome {
  /** Indexes (in the given array) of documents that were already there (duplicate key). */
  duplicates: Set<number>;
}

function collectionOf<T extends mongo.Document>(target: InsertTarget<T>): mongo.Collection<T> {
  return ('modelName' in target ? (target as Model<T>).collection : target) as unknown as mongo.Collection<T>;
}

/** Whether an error is MongoDB's duplicate key error (E11000). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Inserts `doc` as it is (no mongoose casting: pass it in its stored form); false when a
 * document with the same unique key exists. The unique-key insert is the one write FerretDB
 * applies atomically, so it is how racing writers pick one winner. Any other error is thrown.
 */
export async function insertOnce<T extends mongo.Document>(
  target: InsertTarget<T>,
  doc: T,
): Promise<boolean> {
  try {
    await collectionOf(target).insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Unordered insertMany that tolerates duplicate keys (redone work) and reports which documents
 * were duplicates. Any other write error is thrown.
 */
export async function bulkInsertTolerant<T extends mongo.Document>(
  target: InsertTarget<T>,
  docs: T[],
): Promise<InsertOutcome> {
  const duplicates = new Set<number>();
  if (docs.length === 0) return { duplicates };
  try {
    await collectionOf(target).insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (err) {
    const writeErrors = bulkWriteErrors(err);
    if (!writeErrors || writeErrors.some((w) => w.code !== 11000)) throw err;
    for (const w of writeErrors) if (typeof w.index === 'number') duplicates.add(w.index);
  }
  return { duplicates };
}

/** The per-operation errors of a bulk write error (code, index), or undefined if it has none. */
export function bulkWriteErrors(err: unknown): { code?: number; index?: number }[] | undefined {
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

/**
 * The indexes of the operations a failed unordered bulk write did not apply, or undefined when
 * the error is not per operation (then what was applied is unknown).
 */
export function notAppliedIndexes(err: unknown): number[] | undefined {
  const errors = bulkWriteErrors(err);
  if (!errors || errors.length === 0) return undefined;
  const out: number[] = [];
  for (const w of errors) {
    if (typeof w.index !== 'number') return undefined;
    out.push(w.index);
  }
  return out;
}

/** Whether an error is, or holds among its bulk write errors, a duplicate key error. */
export function hasDuplicateKey(err: unknown): boolean {
  return isDuplicateKey(err) || (bulkWriteErrors(err)?.some((w) => w.code === 11000) ?? false);
}
