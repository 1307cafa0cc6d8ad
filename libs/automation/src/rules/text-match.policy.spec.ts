import { DomainError } from '@wwb/runtime';
import { TextCondition } from './rule.model';
import { compileTextCondition, foldText, TextView, wordLine } from './text-match.policy';

const run = (c: Omit<TextCondition, 'type'>, text: string): boolean => {
  const compiled = compileTextCondition({ type: 'text', ...c });
  return compiled.test(new TextView(text)) !== compiled.negate;
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not-a-domain-error';
  }
  return undefined;
};

describe('text conditions', () => {
  it('folds case and accents', () => {
    expect(foldText('Crème BRÛLÉE Ñandú')).toBe('creme brulee nandu');
    expect(wordLine('  Hello, wörld!! 42 ')).toBe(' hello world 42 ');
    expect(wordLine('?!')).toBe(' ');
  });

  it('equals: whole text, trimmed, case-insensitive by default', () => {
    expect(run({ op: 'equals', value: 'hi' }, '  HI ')).toBe(true);
    expect(run({ op: 'equals', value: 'hi' }, 'hi there')).toBe(false);
    expect(run({ op: 'equals', value: 'hi', caseSensitive: true }, 'HI')).toBe(false);
    expect(run({ op: 'equals', value: 'HI', caseSensitive: true }, 'HI')).toBe(true);
    expect(run({ op: 'equals', values: ['hi', 'hello'] }, 'Hello')).toBe(true);
  });

  it('contains / startsWith / endsWith, any of values', () => {
    expect(run({ op: 'contains', value: 'price' }, 'What is the PRICE?')).toBe(true);
    expect(run({ op: 'contains', value: 'price', caseSensitive: true }, 'What is the PRICE?')).toBe(false);
    expect(run({ op: 'contains', values: ['cost', 'price'] }, 'the cost')).toBe(true);
    expect(run({ op: 'startsWith', value: 'order' }, '  Order #12')).toBe(true);
    expect(run({ op: 'startsWith', value: 'order' }, 'my order')).toBe(false);
    expect(run({ op: 'endsWith', value: 'thanks' }, 'ok THANKS ')).toBe(true);
    expect(run({ op: 'endsWith', value: 'thanks' }, 'thanks ok')).toBe(false);
  });

  it('negate inverts the outcome', () => {
    expect(run({ op: 'contains', value: 'price', negate: true }, 'hello')).toBe(true);
    expect(run({ op: 'contains', value: 'price', negate: true }, 'price?')).toBe(false);
  });

  it('keywords: whole words, any case, any accents, phrases too', () => {
    expect(run({ op: 'keywords', values: ['cafe'] }, 'Un CAFÉ, por favor')).toBe(true);
    expect(run({ op: 'keywords', values: ['café'] }, 'un cafe')).toBe(true);
    expect(run({ op: 'keywords', values: ['cafe'] }, 'cafeteria')).toBe(false);
    expect(run({ op: 'keywords', values: ['price'] }, 'prices?')).toBe(false);
    expect(run({ op: 'keywords', values: ['price'] }, '(price)')).toBe(true);
    expect(run({ op: 'keywords', values: ['opening hours'] }, 'your Opening-Hours please')).toBe(true);
    expect(run({ op: 'keywords', values: ['opening hours'] }, 'opening today, hours?')).toBe(false);
    expect(run({ op: 'keywords', values: ['refund', 'money back'] }, 'I want my money back')).toBe(true);
    // keywords ignore case whatever caseSensitive says
    expect(run({ op: 'keywords', value: 'Refund', caseSensitive: true }, 'REFUND')).toBe(true);
    expect(codeOf(() => compileTextCondition({ type: 'text', op: 'keywords', values: ['!!'] }))).toBe(
      'invalid_condition',
    );
  });

  it('regex: re2 syntax, case-insensitive by default, searched anywhere', () => {
    expect(run({ op: 'regex', value: 'order\\s*#?\\d{3,}' }, 'Where is ORDER #1234?')).toBe(true);
    expect(run({ op: 'regex', value: '^order', caseSensitive: true }, 'Order 1')).toBe(false);
    expect(run({ op: 'regex', value: '^\\d+$' }, 'abc')).toBe(false);
  });

  it('regex that backtracks catastrophically in JS returns fast', () => {
    const long = `${'a'.repeat(30_000)}!`;
    const started = performance.now();
    expect(run({ op: 'regex', value: '(a+)+$' }, long)).toBe(false);
    expect(run({ op: 'regex', value: '^(a+)+$' }, long)).toBe(false);
    expect(run({ op: 'regex', value: '^(a+)+!$' }, long)).toBe(true);
    expect(run({ op: 'regex', value: '(a|aa)+b' }, long)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('invalid or unsupported regexes are 400 invalid_regex with the engine message', () => {
    for (const pattern of ['(a', '(\\w)\\1', '(?<=a)b', 'a{2,1}']) {
      let error: DomainError | undefined;
      try {
        compileTextCondition({ type: 'text', op: 'regex', value: pattern });
      } catch (err) {
        error = err as DomainError;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error!.code).toBe('invalid_regex');
      expect(error!.kind).toBe('invalid');
      expect(error!.message).toMatch(/^invalid regex: .*error parsing regexp/);
    }
    expect(codeOf(() => compileTextCondition({ type: 'text', op: 'regex', value: 'a'.repeat(501) }))).toBe(
      'invalid_regex',
    );
  });

  it('takes exactly one of value / values', () => {
    expect(codeOf(() => compileTextCondition({ type: 'text', op: 'contains' }))).toBe('invalid_condition');
    expect(
      codeOf(() => compileTextCondition({ type: 'text', op: 'contains', value: 'a', values: ['b'] })),
    ).toBe('invalid_condition');
    expect(codeOf(() => compileTextCondition({ type: 'text', op: 'regex', values: ['a'] }))).toBe(
      'invalid_condition',
    );
  });

  it('explains each outcome in words', () => {
    const c = compileTextCondition({ type: 'text', op: 'contains', value: 'price' });
    expect(c.explain).toEqual(["text contains 'price'", "text does not contain 'price'"]);
    const k = compileTextCondition({ type: 'text', op: 'keywords', values: ['a', 'b'] });
    expect(k.explain[1]).toBe("text has none of the keywords 'a', 'b'");
  });
});
