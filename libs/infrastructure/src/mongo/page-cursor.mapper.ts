import { DomainError } from '@wwb/runtime';

/** Position of the last item of a page (newest first): its sort time and its id. */
export interface PagePosition {
  at: Date;
  id: string;
}

/**
 * Keyset paging, newest first, over `(time desc, _id desc)`: the cursor is the opaque
 * base64url of `[timeMs, id]` of a page's last item, and the next page is what sorts after it.
 * The id breaks ties, so items sharing a time are neither skipped nor repeated.
 */
export class PageCursor {
  static encode(p: PagePosition): string {
    return Buffer.from(JSON.stringify([p.at.getTime(), p.id]), 'utf8').toString('base64url');
  }

  /** Throws DomainError invalid `invalid_cursor` (400) for anything `encode` did not produce. */
  static decode(cursor: string): PagePosition {
    try {
      const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (
        Array.isArray(value) &&
        value.length === 2 &&
        Number.isSafeInteger(value[0]) &&
        typeof value[1] === 'string' &&
        value[1].length <= 300
      ) {
        return { at: new Date(value[0] as number), id: value[1] };
      }
    } catch {
      // fall through
    }
    throw DomainError.invalid('invalid_cursor', 'cursor is not a cursor this endpoint returned');
  }

  /** The filter (`$or`) for the items after `before` in `{ [timeField]: -1, _id: -1 }` order. */
  static after(timeField: string, before: PagePosition): { $or: Record<string, unknown>[] } {
    return {
      $or: [{ [timeField]: { $lt: before.at } }, { [timeField]: before.at, _id: { $lt: before.id } }],
    };
  }
}

export const encodeCursor = (p: PagePosition): string => PageCursor.encode(p);
export const decodeCursor = (cursor: string): PagePosition => PageCursor.decode(cursor);
