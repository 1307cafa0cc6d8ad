import { DomainError } from '@wwb/runtime';
import { RE2JS } from 're2js';
import { MAX_REGEX_LENGTH, TextCondition } from './rule.model';

const MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/u;

/** Lower case without accents: "Crème BRÛLÉE" -> "creme brulee" (NFKD, then combining marks removed). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The folded words of `text` joined by single spaces, with a space at both ends (" creme brulee "). */
export function wordLine(text: string): string {
  const words = foldText(text).split(NON_WORD).filter(Boolean);
  return words.length ? ` ${words.join(' ')} ` : ' ';
}

/**
 * One inbound text, prepared lazily: each form is computed once per message however many rules
 * read it (200 rules must evaluate well under a millisecond).
 */
export class TextView {
  private lowerText?: string;
  private trimmedText?: string;
  private trimmedLowerText?: string;
  private words?: string;

  constructor(readonly raw: string) {}

  get lower(): string {
    return (this.lowerText ??= this.raw.toLowerCase());
  }
  get trimmed(): string {
    return (this.trimmedText ??= this.raw.trim());
  }
  get trimmedLower(): string {
    return (this.trimmedLowerText ??= this.trimmed.toLowerCase());
  }
  get wordLine(): string {
    return (this.words ??= wordLine(this.raw));
  }
}

export interface CompiledTextCondition {
  /** Whether the text has the property the condition names (before `negate`). */
  test(text: TextView): boolean;
  negate: boolean;
  /** Words for the outcome: `[when the text has it, when it has not]`. */
  explain: readonly [string, string];
}

const quote = (s: string): string => `'${s.length > 40 ? `${s.slice(0, 39)}…` : s}'`;
const quoteAll = (values: string[]): string => values.map(quote).join(', ');

function phrases(verb: string, negVerb: string, values: string[]): [string, string] {
  if (values.length === 1)
    return [`text ${verb} ${quote(values[0]!)}`, `text ${negVerb} ${quote(values[0]!)}`];
  return [`text ${verb} one of ${quoteAll(values)}`, `text ${verb} none of ${quoteAll(values)}`];
}

const invalidCondition = (message: string): DomainError => DomainError.invalid('invalid_condition', message);

/** Compiles a regex with re2js (linear time), or 400 invalid_regex with the engine's message. */
export function compileRegex(pattern: string, caseSensitive: boolean): RE2JS {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw DomainError.invalid(
      'invalid_regex',
      `regex is ${pattern.length} characters long; at most ${MAX_REGEX_LENGTH} are allowed`,
    );
  }
  try {
    return RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    throw DomainError.invalid('invalid_regex', `invalid regex: ${(err as Error).message}`, { pattern });
  }
}

/**
 * A text condition as a closure. Checks what the JSON shape cannot say (one of value / values,
 * usable keywords, a regex re2js accepts) and throws DomainError `invalid_condition` / `invalid_regex`.
 */
export function compileTextCondition(c: TextCondition): CompiledTextCondition {
  const negate = c.negate ?? false;
  const caseSensitive = c.caseSensitive ?? false;
  if ((c.value === undefined) === (c.values === undefined)) {
    throw invalidCondition(`text condition "${c.op}" takes exactly one of value or values`);
  }
  if (c.op === 'regex') {
    if (c.value === undefined) throw invalidCondition('text condition "regex" takes value (the pattern)');
    const re = compileRegex(c.value, caseSensitive);
    const shown = `/${c.value}/${caseSensitive ? '' : 'i'}`;
    return {
      test: (t) => re.test(t.raw),
      negate,
      explain: [`text matches ${shown}`, `text does not match ${shown}`],
    };
  }
  const values = c.values ?? [c.value!];
  if (c.op === 'keywords') {
    const lines = values.map((v) => {
      const line = wordLine(v);
      if (line === ' ') throw invalidCondition(`keyword ${quote(v)} has no letters or digits`);
      return line;
    });
    const explain: [string, string] =
      values.length === 1
        ? [`text has the keyword ${quote(values[0]!)}`, `text lacks the keyword ${quote(values[0]!)}`]
        : [
            `text has one of the keywords ${quoteAll(values)}`,
            `text has none of the keywords ${quoteAll(values)}`,
          ];
    return { test: (t) => lines.some((l) => t.wordLine.includes(l)), negate, explain };
  }
  const wanted = caseSensitive ? values : values.map((v) => v.toLowerCase());
  const trimmedWanted = wanted.map((v) => v.trim());
  switch (c.op) {
    case 'equals':
      return {
        test: caseSensitive
          ? (t) => trimmedWanted.includes(t.trimmed)
          : (t) => trimmedWanted.includes(t.trimmedLower),
        negate,
        explain: phrases('equals', 'does not equal', values),
      };
    case 'contains':
      return {
        test: caseSensitive
          ? (t) => wanted.some((v) => t.raw.includes(v))
          : (t) => wanted.some((v) => t.lower.includes(v)),
        negate,
        explain: phrases('contains', 'does not contain', values),
      };
    case 'startsWith':
      return {
        test: caseSensitive
          ? (t) => wanted.some((v) => t.trimmed.startsWith(v))
          : (t) => wanted.some((v) => t.trimmedLower.startsWith(v)),
        negate,
        explain: phrases('starts with', 'does not start with', values),
      };
    case 'endsWith':
      return {
        test: caseSensitive
          ? (t) => wanted.some((v) => t.trimmed.endsWith(v))
          : (t) => wanted.some((v) => t.trimmedLower.endsWith(v)),
        negate,
        explain: phrases('ends with', 'does not end with', values),
      };
    default:
      throw invalidCondition(`unknown text operator "${String(c.op)}"`);
  }
}
