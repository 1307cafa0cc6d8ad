import { formErrors, type ApiProblem, type FormErrors } from '../api/api-error.mapper';

/** Pure helpers of the FAQ bot pages: entry forms, errors, scores and wording. */

export type EntryField = 'id' | 'questions' | 'keywords' | 'answer';
export type BotField = 'name' | 'threshold' | 'fallbackAnswer' | 'handoffAfterMisses' | 'mode';

/** Question variants are typed one per line. */
export const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);

export interface EntryDraft {
  id: string;
  questions: string;
  keywords: string;
  answer: string;
}

export const emptyEntry = (): EntryDraft => ({ id: '', questions: '', keywords: '', answer: '' });

export function entryBody(draft: EntryDraft): {
  id?: string;
  questions: string[];
  keywords?: string[];
  answer: { text: string };
} {
  const keywords = commaList(draft.keywords);
  return {
    ...(draft.id.trim() ? { id: draft.id.trim() } : {}),
    questions: linesOf(draft.questions),
    ...(keywords.length ? { keywords } : {}),
    answer: { text: draft.answer },
  };
}

const ENTRY_CODES: Readonly<Record<string, EntryField>> = {
  entry_without_question: 'questions',
  too_many_questions: 'questions',
  too_many_keywords: 'keywords',
  invalid_entry_id: 'id',
  entry_exists: 'id',
  duplicate_entry_id: 'id',
  invalid_answer: 'answer',
  template_not_found: 'answer',
};

export const entryErrors = (problem: ApiProblem): FormErrors<EntryField> =>
  formErrors(problem, ['id', 'questions', 'keywords', 'answer'] as const, {
    codes: ENTRY_CODES,
    labels: { id: 'Id', questions: 'Questions', keywords: 'Keywords', answer: 'Answer' },
  });

const BOT_CODES: Readonly<Record<string, BotField>> = {
  invalid_name: 'name',
  invalid_threshold: 'threshold',
  invalid_handoff_after_misses: 'handoffAfterMisses',
};

export const botErrors = (problem: ApiProblem): FormErrors<BotField> =>
  formErrors(problem, ['name', 'threshold', 'fallbackAnswer', 'handoffAfterMisses', 'mode'] as const, {
    codes: BOT_CODES,
    labels: {
      name: 'Name',
      threshold: 'Threshold',
      fallbackAnswer: 'Fallback answer',
      handoffAfterMisses: 'Hand-off after misses',
    },
  });

/** A number as typed, or the text itself so that the API names what is wrong with it. */
export const numberOrText = (text: string): number | string => {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
};

/** Scores are 0..1: shown as whole percents. */
export const percent = (score: number): string => `${Math.round(score * 100)}%`;

export const MODE_OPTIONS = [
  { value: 'fallback', label: 'Answers what no rule matched' },
  { value: 'rule_only', label: 'Only when a rule asks it' },
] as const;

export const modeLabel = (mode: string): string => MODE_OPTIONS.find((m) => m.value === mode)?.label ?? mode;

/** The entry's answer as text (an answer may be a template instead). */
export const answerText = (answer: { text?: string; templateId?: string }): string =>
  answer.text ?? (answer.templateId ? `Template ${answer.templateId}` : '');
