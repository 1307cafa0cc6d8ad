import type { Principal } from '@wwb/accounts';
import { DomainError } from '@wwb/runtime';
import type { FaqBotMode } from './faq-bot.schema';
import type { FaqAnswerContent, FaqEntryData } from './faq-matching.policy';

export const DEFAULT_THRESHOLD = 0.35;
export const DEFAULT_HANDOFF_AFTER_MISSES = 3;
export const MAX_HANDOFF_AFTER_MISSES = 50;
export const MAX_ENTRIES = 2_000;
export const MAX_QUESTIONS = 20;
export const MAX_KEYWORDS = 20;
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A bot's settings as a caller gives them (absent = default on create, unchanged on PATCH). */
export interface FaqBotInput {
  name?: string;
  language?: string;
  threshold?: number;
  fallbackAnswer?: string | null;
  handoffAfterMisses?: number;
  connectionIds?: string[];
  mode?: FaqBotMode;
  enabled?: boolean;
  entries?: FaqEntryInput[];
}

export interface FaqEntryInput {
  /** Chosen by the caller (stable ids make syncing from a spreadsheet easy), else generated. */
  id?: string;
  questions?: string[];
  keywords?: string[];
  answer?: FaqAnswerContent;
}

/**
 * The connections a caller may act on: those of an API key restricted to some connections,
 * undefined for an unrestricted key (every connection of the account).
 */
export type FaqReach = readonly string[] | undefined;

export const reachOf = (principal: Principal): FaqReach =>
  principal.restricted ? principal.connectionIds : undefined;

/**
 * Whether a bot serving `connectionIds` (empty = every connection) stays within `reach`: as for
 * webhook endpoints, a restricted key sees and manages only bots limited to its connections.
 */
export function withinReach(connectionIds: readonly string[], reach: FaqReach): boolean {
  return !reach || (connectionIds.length > 0 && connectionIds.every((id) => reach.includes(id)));
}

export const outsideReach = (): DomainError =>
  new DomainError(
    'forbidden',
    'forbidden_scope',
    'A key restricted to some connections can only manage FAQ bots limited to those connections',
  );

/** `language` as a canonical BCP-47 tag, or 400 invalid_language. */
export function canonicalLanguage(language: string): string {
  try {
    const [tag] = Intl.getCanonicalLocales(language);
    if (tag) return tag;
  } catch {
    // not a well-formed tag
  }
  throw DomainError.invalid(
    'invalid_language',
    `"${language}" is not a BCP-47 language tag (e.g. en, pt-BR)`,
  );
}

export function checkThreshold(threshold: number): number {
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw DomainError.invalid('invalid_threshold', 'threshold is a score between 0 and 1', { threshold });
  }
  return threshold;
}

export function checkHandoffAfterMisses(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_HANDOFF_AFTER_MISSES) {
    throw DomainError.invalid(
      'invalid_handoff_after_misses',
      `handoffAfterMisses is a whole number from 0 (never) to ${MAX_HANDOFF_AFTER_MISSES}`,
      { handoffAfterMisses: n },
    );
  }
  return n;
}

/**
 * One entry, checked and tidied: trimmed, blank and repeated variants and keywords dropped.
 * `at` names the entry in error details (its index in a list, or its id).
 */
export function checkEntry(input: FaqEntryInput, id: string, at: number | string): FaqEntryData {
  const where = typeof at === 'number' ? { index: at } : { entryId: at };
  const questions = tidy(input.questions ?? []);
  if (!questions.length) {
    throw DomainError.invalid('entry_without_question', 'Every entry needs at least one question', where);
  }
  if (questions.length > MAX_QUESTIONS) {
    throw DomainError.invalid(
      'too_many_questions',
      `An entry has at most ${MAX_QUESTIONS} question variants`,
      {
        ...where,
        max: MAX_QUESTIONS,
      },
    );
  }
  const keywords = tidy(input.keywords ?? []);
  if (keywords.length > MAX_KEYWORDS) {
    throw DomainError.invalid('too_many_keywords', `An entry has at most ${MAX_KEYWORDS} keywords`, {
      ...where,
      max: MAX_KEYWORDS,
    });
  }
  return { id, questions, keywords, answer: checkAnswer(input.answer, where) };
}

function checkAnswer(answer: FaqAnswerContent | undefined, where: object): FaqAnswerContent {
  const text = answer?.text?.trim();
  const templateId = answer?.templateId;
  if (!!text === !!templateId) {
    throw DomainError.invalid('invalid_answer', 'An answer is either {text} or {templateId}', where);
  }
  return text ? { text } : { templateId: templateId! };
}

/** A whole list of entries: ids unique (generated where missing), at most MAX_ENTRIES. */
export function checkEntries(inputs: FaqEntryInput[], newId: () => string): FaqEntryData[] {
  if (inputs.length > MAX_ENTRIES) {
    throw DomainError.invalid('too_many_entries', `A bot has at most ${MAX_ENTRIES} entries`, {
      max: MAX_ENTRIES,
    });
  }
  const seen = new Set<string>();
  return inputs.map((input, index) => {
    const id = input.id ?? newId();
    checkEntryId(id);
    if (seen.has(id)) {
      throw DomainError.invalid('duplicate_entry_id', `Entry id "${id}" appears twice`, {
        index,
        entryId: id,
      });
    }
    seen.add(id);
    return checkEntry(input, id, index);
  });
}

export function checkEntryId(id: string): string {
  if (!ENTRY_ID_PATTERN.test(id)) {
    throw DomainError.invalid('invalid_entry_id', 'An entry id is 1-64 letters, digits, _ or -', {
      entryId: id,
    });
  }
  return id;
}

/** The templates a list of entries names. */
export const templateIdsOf = (entries: readonly FaqEntryData[]): string[] => [
  ...new Set(entries.map((e) => e.answer.templateId).filter((t): t is string => !!t)),
];

function tidy(texts: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of texts) {
    const text = raw.trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}
