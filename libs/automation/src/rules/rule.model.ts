/**
 * The auto-reply rule vocabulary: a closed set of conditions and actions, validated on save
 * (rule-definition.policy.ts) and compiled once into closures (rule-engine.policy.ts).
 */

export const TEXT_OPS = ['equals', 'contains', 'startsWith', 'endsWith', 'keywords', 'regex'] as const;
export type TextOp = (typeof TEXT_OPS)[number];

export const CHAT_TYPES = ['direct', 'group'] as const;
export type ChatType = (typeof CHAT_TYPES)[number];

export const TAG_OPS = ['hasAny', 'hasAll', 'hasNone'] as const;
export type TagOp = (typeof TAG_OPS)[number];

export const CONDITION_TYPES = [
  'text',
  'messageType',
  'chatType',
  'contactTag',
  'firstMessage',
  'businessHours',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export const ACTION_TYPES = ['reply', 'tag', 'http', 'handoff', 'askFaq'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const REPLY_MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type ReplyMediaType = (typeof REPLY_MEDIA_TYPES)[number];

/** Longest regex pattern a rule may hold (re2js compiles in time linear in it, but keep it small). */
export const MAX_REGEX_LENGTH = 500;

export interface TextCondition {
  type: 'text';
  op: TextOp;
  /** One value, or `values` (any of them). A regex takes `value` only. */
  value?: string;
  values?: string[];
  /** Default false. `keywords` ignore case and accents whatever this says. */
  caseSensitive?: boolean;
  negate?: boolean;
}

export interface MessageTypeCondition {
  type: 'messageType';
  in: string[];
}

export interface ChatTypeCondition {
  type: 'chatType';
  in: ChatType[];
}

export interface ContactTagCondition {
  type: 'contactTag';
  op: TagOp;
  tags: string[];
}

export interface FirstMessageCondition {
  type: 'firstMessage';
}

/** `HH:mm`, 24 h; `to` may be `24:00`; `to` before `from` crosses midnight (22:00-02:00). */
export interface TimeRange {
  from: string;
  to: string;
}

export interface BusinessHours {
  /** IANA zone the hours are read in. */
  timeZone: string;
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  /** `YYYY-MM-DD` days (in the zone) with no business hours. */
  holidays?: string[];
}

export interface BusinessHoursCondition {
  type: 'businessHours';
  /** true: matches inside the hours; false: outside them. */
  inside: boolean;
  hours: BusinessHours;
}

export type Condition =
  | TextCondition
  | MessageTypeCondition
  | ChatTypeCondition
  | ContactTagCondition
  | FirstMessageCondition
  | BusinessHoursCondition;

export interface ConditionGroup {
  mode: 'all' | 'any';
  /** Empty: the rule always matches. */
  items: Condition[];
}

export interface ReplyMedia {
  type: ReplyMediaType;
  url?: string;
  uploadId?: string;
  caption?: string;
  filename?: string;
}

/** Exactly one of `text` (a template body, rendered), `templateId` or `media`. */
export interface ReplyAction {
  type: 'reply';
  text?: string;
  templateId?: string;
  variables?: Record<string, unknown>;
  media?: ReplyMedia;
}

export interface TagAction {
  type: 'tag';
  add?: string[];
  remove?: string[];
}

export interface HttpAction {
  type: 'http';
  url: string;
  method: 'POST';
  headers?: Record<string, string>;
}

export interface HandoffAction {
  type: 'handoff';
  /** How long the bot stays paused in that chat. */
  minutes: number;
}

export interface AskFaqAction {
  type: 'askFaq';
  botId: string;
}

export type Action = ReplyAction | TagAction | HttpAction | HandoffAction | AskFaqAction;

/** What a rule says, as the API takes and returns it. */
export interface RuleDefinition {
  name: string;
  priority: number;
  enabled: boolean;
  stopOnMatch: boolean;
  /** Empty: every connection of the account. */
  connectionIds: string[];
  conditions: ConditionGroup;
  actions: Action[];
  /** Per contact per rule; 0 = none. Enforced by the pipeline. */
  cooldownSeconds: number;
}

/** A stored rule. */
export interface Rule extends RuleDefinition {
  id: string;
  accountId: string;
  createdAt: Date;
  updatedAt: Date;
}
