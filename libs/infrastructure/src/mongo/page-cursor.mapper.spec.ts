import { DomainError } from '@wwb/runtime';
import { decodeCursor, encodeCursor, PageCursor } from './page-cursor.mapper';

describe('PageCursor', () => {
  it('round-trips the position of the last item', () => {
    const p = { at: new Date('2026-12-01T10:00:00.123Z'), id: 'con_1/true_1@c.us_ABC' };
    expect(PageCursor.decode(PageCursor.encode(p))).toEqual(p);
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
  });

  it.each([
    '',
    'abc',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from(JSON.stringify([1, 'x'.repeat(301)])).toString('base64url'),
  ])('refuses %p with DomainError invalid / invalid_cursor', (cursor) => {
    let caught: unknown;
    try {
      PageCursor.decode(cursor);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ kind: 'invalid', code: 'invalid_cursor' });
  });

  it('filters what sorts after the position: older, or as old with a smaller id', () => {
    const at = new Date(1000);
    expect(PageCursor.after('lastMessageAt', { at, id: 'b' })).toEqual({
      $or: [{ lastMessageAt: { $lt: at } }, { lastMessageAt: at, _id: { $lt: 'b' } }],
    });
  });
});
