import { AppError } from '@wwb/http';
import { decodeCursor, encodeCursor } from './page-cursor';

describe('page cursor', () => {
  it('round-trips the position of the last item', () => {
    const p = { at: new Date('2026-12-01T10:00:00.123Z'), id: 'con_1/true_1@c.us_ABC' };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
  });

  it.each([
    '',
    'abc',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
  ])('refuses %p with 400 invalid_cursor', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(AppError);
    try {
      decodeCursor(cursor);
    } catch (err) {
      expect((err as AppError).code).toBe('invalid_cursor');
    }
  });
});
