import { hasAcceptableCharset, isJsonContentType } from './json-body.middleware';
import { saneId } from './request-id';

describe('content type checks', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['APPLICATION/JSON', true],
    ['application/vnd.api+json', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonp', false],
    [undefined, false],
  ])('isJsonContentType(%p) = %p', (header, expected) => {
    expect(isJsonContentType(header)).toBe(expected);
  });

  it.each([
    ['application/json', true],
    ['application/json; charset=UTF-8', true],
    ['application/json;charset="utf-8"', true],
    ['application/json; charset=utf-16', false],
    ['application/json; charset=latin1', false],
  ])('hasAcceptableCharset(%p) = %p', (header, expected) => {
    expect(hasAcceptableCharset(header)).toBe(expected);
  });
});

describe('saneId', () => {
  it('accepts short plain ids and refuses the rest', () => {
    expect(saneId('req-1.2:3_x')).toBe('req-1.2:3_x');
    expect(saneId(['a', 'b'])).toBe('a');
    expect(saneId('a b')).toBeUndefined();
    expect(saneId('x'.repeat(129))).toBeUndefined();
    expect(saneId('')).toBeUndefined();
    expect(saneId('line\nbreak')).toBeUndefined();
    expect(saneId(undefined)).toBeUndefined();
  });
});
