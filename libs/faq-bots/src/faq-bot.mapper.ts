import type { FaqBotMode, FaqBotRecord, FaqEntryRecord } from './faq-bot.schema';
import type { FaqAnswerContent, FaqCandidate, FaqEntryData } from './faq-matching.policy';

export interface FaqEntryView {
  id: string;
  questions: string[];
  keywords: string[];
  answer: FaqAnswerContent;
}

/** A bot's settings, as the API shows them and as the automation consumer uses them. */
export interface FaqBotView {
  id: string;
  name: string;
  language: string;
  threshold: number;
  fallbackAnswer: string | null;
  /** Misses in a row in one chat before a hand-off; 0 = never. */
  handoffAfterMisses: number;
  /** Empty = every connection of the account. */
  connectionIds: string[];
  mode: FaqBotMode;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FaqBotDetail extends FaqBotView {
  entries: FaqEntryView[];
}

export interface FaqAnswer {
  /** Whether `best` reaches the bot's threshold. */
  matched: boolean;
  best: FaqCandidate | null;
  candidates: FaqCandidate[];
}

export function toBotView(bot: FaqBotRecord): FaqBotView {
  return {
    id: bot._id,
    name: bot.name,
    language: bot.language,
    threshold: bot.threshold,
    fallbackAnswer: bot.fallbackAnswer ?? null,
    handoffAfterMisses: bot.handoffAfterMisses,
    connectionIds: [...bot.connectionIds],
    mode: bot.mode,
    enabled: bot.enabled,
    createdAt: bot.createdAt.toISOString(),
    updatedAt: bot.updatedAt.toISOString(),
  };
}

export function toEntryView(entry: FaqEntryRecord | FaqEntryData): FaqEntryView {
  const answer: FaqAnswerContent = entry.answer.templateId
    ? { templateId: entry.answer.templateId }
    : { text: entry.answer.text ?? '' };
  return {
    id: 'entryId' in entry ? entry.entryId : entry.id,
    questions: [...entry.questions],
    keywords: [...entry.keywords],
    answer,
  };
}

export const toEntryData = (entry: FaqEntryRecord): FaqEntryData => toEntryView(entry);
