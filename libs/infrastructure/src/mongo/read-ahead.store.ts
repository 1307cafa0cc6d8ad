import type { mongo } from 'mongoose';

/**
 * A cursor's documents batch by batch, with the next batch already asked for while the caller
 * works on the current one.
 *
 * The driver sends `getMore` only once its buffer is empty, so a caller that spends time on
 * each batch (rendering, writing rows) leaves the server idle meanwhile, then waits a whole
 * round trip for the next batch: the two costs add up. Here the buffer is drained into one
 * array and `hasNext()` is called at once, so the server builds batch N+1 while batch N is
 * handled and the costs overlap. At most two batches are held in memory (the one handed out
 * and the one arriving). The cursor is closed when the loop ends, however it ends.
 */
export async function* readAhead<T>(cursor: mongo.AbstractCursor<T>): AsyncGenerator<T[], void, undefined> {
  let more: Promise<boolean> = cursor.hasNext();
  try {
    while (await more) {
      const batch = cursor.readBufferedDocuments();
      more = cursor.hasNext();
      // A caller that stops early leaves this fetch unread; it is awaited below, not left
      // to reject unhandled.
      more.catch(() => undefined);
      yield batch;
    }
  } finally {
    // The driver runs one operation at a time on a cursor: the fetch in flight settles first
    // (its error, if any, was the caller's to see only if it asked), then the server cursor is
    // killed.
    await more.catch(() => false);
    await cursor.close();
  }
}
