import { Schema } from 'mongoose';
import type { FaqAnswerContent } from './faq-matching.policy';

export const FAQ_BOT_MODEL = 'FaqBot';
export const FAQ_ENTRY_MODEL = 'FaqEntry';
export const FAQ_REVISION_MODEL = 'FaqBotRevision';
export const FAQ_OUTCOME_MODEL = 'FaqOutcome';

export const FAQ_BOT_MODES = ['fallback', 'rule_only'] as const;
export type FaqBotMode = (typeof FAQ_BOT_MODES)[number];

export const FAQ_OUTCOME_KINDS = ['answered', 'missed', 'handoff'] as const;
export type FaqOutcomeKind = (typeof FAQ_OUTCOME_KINDS)[number];

/** A bot's settings, written by the API only (created, replaced by PUT/PATCH). */
export interface FaqBotRecord {
  _id: string;
  accountId: string;
  name: string;
  language: string;
  threshold: number;
  fallbackAnswer: string | null;
  handoffAfterMisses: number;
  /** Empty = every connection of the account. */
  connectionIds: string[];
  mode: FaqBotMode;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const FaqBotSchema = new Schema<FaqBotRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    name: { type: String, required: true },
    language: { type: String, required: true },
    threshold: { type: Number, required: true },
    fallbackAnswer: { type: String, default: null },
    handoffAfterMisses: { type: Number, required: true },
    connectionIds: { type: [String], default: [] },
    mode: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'faq_bots', versionKey: false, _id: false },
);
FaqBotSchema.index({ accountId: 1, _id: 1 }, { name: 'account_id' });

/**
 * One entry per document (`_id` `<botId>:<entryId>`), so that adding or changing one entry never
 * rewrites the bot, and a bot of 2,000 long entries stays far from the document size limit.
 */
export interface FaqEntryRecord {
  _id: string;
  accountId: string;
  botId: string;
  entryId: string;
  /** Order in the bot (ties by `_id`). */
  position: number;
  questions: string[];
  keywords: string[];
  answer: FaqAnswerContent;
  updatedAt: Date;
}

export const FaqEntrySchema = new Schema<FaqEntryRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    botId: { type: String, required: true },
    entryId: { type: String, required: true },
    position: { type: Number, required: true },
    questions: { type: [String], required: true },
    keywords: { type: [String], default: [] },
    answer: {
      type: new Schema<FaqAnswerContent>({ text: String, templateId: String }, { _id: false }),
      required: true,
    },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'faq_entries', versionKey: false, _id: false },
);
FaqEntrySchema.index({ accountId: 1, botId: 1, position: 1 }, { name: 'bot_position' });

/**
 * The revision of a bot's entries and language (`_id` = bot id), changed after every change of
 * them. A document of its own: FerretDB loses one of two concurrent updates of one document, and
 * a lost revision must never take a concurrent settings change with it. Two concurrent changes
 * may each set the revision, one value wins: both differ from what any process had cached.
 */
export interface FaqRevisionRecord {
  _id: string;
  accountId: string;
  revision: string;
}

export const FaqRevisionSchema = new Schema<FaqRevisionRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    revision: { type: String, required: true },
  },
  { collection: 'faq_bot_revisions', versionKey: false, _id: false },
);

/**
 * One row per outcome, insert-only: `_id` is a hash of (bot, chat, kind, time, question), so a
 * redelivered event records nothing twice. The report aggregates rows of a bounded window (no
 * shared counters: concurrent `$inc`s of one document are not safe on FerretDB).
 */
export interface FaqOutcomeRecord {
  _id: string;
  accountId: string;
  botId: string;
  chatId: string;
  kind: FaqOutcomeKind;
  question: string;
  /** Group key of the question (FaqTokenizer.groupKey). */
  normalized: string;
  /** UTC day of `at`, `YYYY-MM-DD` (FerretDB has no date operators in $group). */
  day: string;
  at: Date;
  recordedAt: Date;
}

export const FaqOutcomeSchema = new Schema<FaqOutcomeRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    botId: { type: String, required: true },
    chatId: { type: String, required: true },
    kind: { type: String, required: true },
    question: { type: String, required: true },
    normalized: { type: String, required: true },
    day: { type: String, required: true },
    at: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'faq_outcomes', versionKey: false, _id: false },
);
FaqOutcomeSchema.index({ accountId: 1, botId: 1, chatId: 1, at: -1 }, { name: 'bot_chat_at' });
FaqOutcomeSchema.index({ accountId: 1, botId: 1, at: 1 }, { name: 'bot_at' });
FaqOutcomeSchema.index({ accountId: 1, botId: 1, kind: 1, normalized: 1, at: -1 }, { name: 'bot_misses' });
