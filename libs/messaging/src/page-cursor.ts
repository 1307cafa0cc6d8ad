import { AppError } from '@wwb/http';
import type { PagePosition } from './conversation.repository';

/** Opaque cursor of a newest-first page: base64url of `[sortTimeMs, id]` of its last item. */
export function encodeCursor(p: PagePosition): string {
  return Buffer.from(JSON.stringify([p.at.getTime(), p.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition {
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
  throw new AppError(400, 'invalid_cursor', 'cursor is not a cursor this endpoint returned');
}
