import { DomainError } from '@wwb/runtime';
import {
  checkTagCount,
  CONTACT_LIMITS,
  mergeAttributes,
  normaliseLanguage,
  normaliseName,
  normaliseTags,
  normaliseTimeZone,
} from './contact-fields.policy';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError';
  }
  return undefined;
};

describe('contact fields', () => {
  it('tags are lower-case slugs, de-duplicated', () => {
    expect(normaliseTags([' VIP ', 'vip', 'news-letter', 'a_1'])).toEqual(['vip', 'news-letter', 'a_1']);
    for (const bad of ['', 'two words', '-lead', 'é', 'x'.repeat(51), 'a.b']) {
      expect(codeOf(() => normaliseTags([bad]))).toBe('invalid_tag');
    }
    expect(codeOf(() => checkTagCount(Array.from({ length: 51 }, (_, i) => `t${i}`)))).toBe('too_many_tags');
    expect(checkTagCount(['a'])).toEqual(['a']);
  });

  it('attributes merge, null removes a key, values are flat and bounded', () => {
    expect(mergeAttributes({ a: 1, b: 'x' }, { b: null, c: true, d: 'y' })).toEqual({
      a: 1,
      c: true,
      d: 'y',
    });
    expect(codeOf(() => mergeAttributes({}, { 'bad key': 1 }))).toBe('invalid_attribute');
    expect(codeOf(() => mergeAttributes({}, { '1st': 1 }))).toBe('invalid_attribute');
    expect(codeOf(() => mergeAttributes({}, { a: { nested: true } }))).toBe('invalid_attribute');
    expect(codeOf(() => mergeAttributes({}, { a: [1] }))).toBe('invalid_attribute');
    expect(codeOf(() => mergeAttributes({}, { a: Number.NaN }))).toBe('invalid_attribute');
    const many = Object.fromEntries(
      Array.from({ length: CONTACT_LIMITS.attributes + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(codeOf(() => mergeAttributes({}, many))).toBe('too_many_attributes');
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    expect(codeOf(() => mergeAttributes({}, big))).toBe('attributes_too_large');
  });

  it('time zones are IANA names, canonically cased', () => {
    expect(normaliseTimeZone('Europe/Madrid')).toBe('Europe/Madrid');
    expect(normaliseTimeZone('america/new_york')).toBe('America/New_York');
    expect(normaliseTimeZone('UTC')).toBe('UTC');
    for (const bad of ['', 'Mars/Olympus', 'GMT+25', 'x'.repeat(80)]) {
      expect(codeOf(() => normaliseTimeZone(bad))).toBe('invalid_time_zone');
    }
  });

  it('languages are BCP-47, canonical', () => {
    expect(normaliseLanguage('pt-br')).toBe('pt-BR');
    expect(normaliseLanguage('es')).toBe('es');
    expect(codeOf(() => normaliseLanguage('not a language'))).toBe('invalid_language');
    expect(codeOf(() => normaliseLanguage(''))).toBe('invalid_language');
  });

  it('names are trimmed, empty is none', () => {
    expect(normaliseName('  Ada ')).toBe('Ada');
    expect(normaliseName('  ')).toBeNull();
    expect(normaliseName(null)).toBeNull();
    expect(codeOf(() => normaliseName('x'.repeat(201)))).toBe('invalid_name');
  });
});
