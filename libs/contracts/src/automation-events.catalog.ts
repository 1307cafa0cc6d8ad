import type { EventDefinition } from './event-catalog';
import { defineEvent, ISO, obj, STR } from './catalog-schema.util';

/**
 * Events of the inbound automation pipeline (the worker's `automation` consumer set): rules that
 * matched, replies it sent, hand-offs to a human, the loop breaker, failed rule actions, FAQ bot
 * outcomes (keyword opt-outs are in contact-events.catalog.ts). Each names the inbound event that caused it (`triggerEventId`)
 * where there is one, and is keyed by the chat, so a chat's automation events stay in order.
 */

export const AUTOMATION_REPLY_SOURCES = ['auto_reply', 'faq_bot', 'opt_out'] as const;
export type AutomationReplySource = (typeof AUTOMATION_REPLY_SOURCES)[number];

export const HANDOFF_REASONS = ['human_reply', 'rule', 'faq_misses'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export const HANDOFF_END_REASONS = ['expired', 'resumed'] as const;
export type HandoffEndReason = (typeof HANDOFF_END_REASONS)[number];

export const AUTOMATION_ACTIONS = ['reply', 'tag', 'http', 'handoff', 'askFaq'] as const;

/** What a person asks of automation in one chat: take the chat over (pause it) or give it back. */
export const HANDOFF_REQUEST_ACTIONS = ['take_over', 'give_back'] as const;
export type HandoffRequestAction = (typeof HANDOFF_REQUEST_ACTIONS)[number];

export interface AutomationRuleMatchedData {
  ruleId: string;
  ruleName: string;
  /** Id of the message.received event that matched. */
  triggerEventId: string;
  chatId: string;
  /** The sender's contact; null in a group or when the sender has no phone number (…@lid). */
  contactId: string | null;
}

export interface AutomationReplySentData {
  /** Our id (msg_…) of the reply, as GET /v1/connections/:id/messages/:messageId knows it. */
  messageId: string;
  ruleId?: string;
  botId?: string;
  source: AutomationReplySource;
  triggerEventId: string;
  chatId: string;
}

export interface AutomationHandoffStartedData {
  chatId: string;
  /** Automation stays silent in this chat until then. */
  until: string;
  reason: HandoffReason;
  ruleId?: string;
  botId?: string;
  /** The event that started it: the human's message.sent or the inbound message.received. */
  triggerEventId: string;
}

export interface AutomationHandoffEndedData {
  chatId: string;
  reason: HandoffEndReason;
  /** When the pause ended (its `until`, or when it was resumed). */
  endedAt: string;
}

export interface AutomationHandoffRequestedData {
  chatId: string;
  action: HandoffRequestAction;
  /** take_over: how long automation stays silent (default AUTOMATION_HUMAN_PAUSE_MINUTES). */
  minutes?: number;
  /** Who asked: the console user's id, else the API key's id. */
  requestedBy: string;
}

export interface AutomationLoopBreakerTrippedData {
  chatId: string;
  /** Automated replies already sent to this chat within the window. */
  replies: number;
  windowSeconds: number;
  triggerEventId: string;
}

export interface AutomationActionFailedData {
  ruleId: string;
  action: (typeof AUTOMATION_ACTIONS)[number];
  code: string;
  message: string;
  triggerEventId: string;
  chatId: string;
}

export interface FaqAnsweredData {
  botId: string;
  entryId: string;
  score: number;
  question: string;
  chatId: string;
  triggerEventId: string;
  ruleId?: string;
}

export interface FaqMissedData {
  botId: string;
  /** The best candidate below the bot's threshold, when there was one. */
  entryId?: string;
  score?: number;
  question: string;
  chatId: string;
  triggerEventId: string;
  missesInRow: number;
  ruleId?: string;
}

export interface AutomationEventDataMap {
  'automation.rule.matched': AutomationRuleMatchedData;
  'automation.reply.sent': AutomationReplySentData;
  'automation.handoff.started': AutomationHandoffStartedData;
  'automation.handoff.ended': AutomationHandoffEndedData;
  'automation.handoff.requested': AutomationHandoffRequestedData;
  'automation.loop_breaker.tripped': AutomationLoopBreakerTrippedData;
  'automation.action.failed': AutomationActionFailedData;
  'faq.answered': FaqAnsweredData;
  'faq.missed': FaqMissedData;
}

const INT = { type: 'integer', minimum: 0 };
const SCORE = { type: 'number', minimum: 0 };
const CHAT = { ...STR, description: 'The chat (…@c.us, …@g.us)' };
const TRIGGER = { ...STR, description: 'Id of the event that caused this one' };

const EXAMPLE = {
  chatId: '15557654321@c.us',
  triggerEventId: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
  ruleId: 'rule_01JDQ90A1B2C3D4E5F6G7H8J9K',
  botId: 'faq_01JDQ91A1B2C3D4E5F6G7H8J9K',
  contactId: 'ct_01JDQ92A1B2C3D4E5F6G7H8J9K',
};

export const AUTOMATION_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'automation.rule.matched',
    version: 1,
    description:
      "An auto-reply rule matched an inbound message and fired (it was not cooling down for the contact): its actions ran. Published with the rest of the message's automation events, in the order they happened.",
    orderingKey: 'chat',
    dataSchema: obj(
      {
        ruleId: STR,
        ruleName: STR,
        triggerEventId: TRIGGER,
        chatId: CHAT,
        contactId: { type: ['string', 'null'], description: 'null in a group or without a phone number' },
      },
      ['ruleId', 'ruleName', 'triggerEventId', 'chatId', 'contactId'],
    ),
    example: {
      ruleId: EXAMPLE.ruleId,
      ruleName: 'Opening hours',
      triggerEventId: EXAMPLE.triggerEventId,
      chatId: EXAMPLE.chatId,
      contactId: EXAMPLE.contactId,
    },
  }),
  defineEvent({
    type: 'automation.reply.sent',
    version: 1,
    description:
      'Automation accepted a reply for sending (a rule, a FAQ bot or an opt-out confirmation); its statuses follow as message.status.',
    orderingKey: 'chat',
    dataSchema: obj(
      {
        messageId: STR,
        ruleId: STR,
        botId: STR,
        source: { type: 'string', enum: AUTOMATION_REPLY_SOURCES },
        triggerEventId: TRIGGER,
        chatId: CHAT,
      },
      ['messageId', 'source', 'triggerEventId', 'chatId'],
    ),
    example: {
      messageId: 'msg_01JDQ93A1B2C3D4E5F6G7H8J9K',
      ruleId: EXAMPLE.ruleId,
      source: 'auto_reply',
      triggerEventId: EXAMPLE.triggerEventId,
      chatId: EXAMPLE.chatId,
    },
  }),
  defineEvent({
    type: 'automation.handoff.started',
    version: 1,
    description:
      'Automation pauses in a chat until `until`: a human answered (from the phone or through the API), a rule handed off, or a FAQ bot missed too often in a row.',
    orderingKey: 'chat',
    dataSchema: obj(
      {
        chatId: CHAT,
        until: ISO,
        reason: { type: 'string', enum: HANDOFF_REASONS },
        ruleId: STR,
        botId: STR,
        triggerEventId: TRIGGER,
      },
      ['chatId', 'until', 'reason', 'triggerEventId'],
    ),
    example: {
      chatId: EXAMPLE.chatId,
      until: '2026-12-01T10:30:00.000Z',
      reason: 'human_reply',
      triggerEventId: EXAMPLE.triggerEventId,
    },
  }),
  defineEvent({
    type: 'automation.handoff.ended',
    version: 1,
    description:
      'A paused chat is automated again: its pause ran out (noticed with the next inbound message) or was resumed.',
    orderingKey: 'chat',
    dataSchema: obj({ chatId: CHAT, reason: { type: 'string', enum: HANDOFF_END_REASONS }, endedAt: ISO }, [
      'chatId',
      'reason',
      'endedAt',
    ]),
    example: { chatId: EXAMPLE.chatId, reason: 'expired', endedAt: '2026-12-01T10:30:00.000Z' },
  }),
  defineEvent({
    type: 'automation.handoff.requested',
    version: 1,
    description:
      "A person asked (console or API: POST /v1/connections/{id}/chats/{chatId}/handoff/take-over or .../give-back) to take a chat over from automation for `minutes`, or to give it back. Keyed by the chat, so the automation worker applies it in order with the chat's messages; automation.handoff.started or automation.handoff.ended (reason resumed) follows when the pause starts or ends.",
    orderingKey: 'chat',
    dataSchema: obj(
      {
        chatId: CHAT,
        action: { type: 'string', enum: HANDOFF_REQUEST_ACTIONS },
        minutes: { type: 'integer', minimum: 1, maximum: 43200 },
        requestedBy: { ...STR, description: "The console user's id, else the API key's id" },
      },
      ['chatId', 'action', 'requestedBy'],
    ),
    example: {
      chatId: EXAMPLE.chatId,
      action: 'take_over',
      minutes: 60,
      requestedBy: 'usr_01JDQ95A1B2C3D4E5F6G7H8J9K',
    },
  }),
  defineEvent({
    type: 'automation.loop_breaker.tripped',
    version: 1,
    description:
      'A chat reached the most automated replies allowed per window (AUTOMATION_MAX_REPLIES_PER_CHAT per 10 minutes, e.g. two bots answering each other); automation sends it nothing more until the window has room. Published once per episode.',
    orderingKey: 'chat',
    dataSchema: obj({ chatId: CHAT, replies: INT, windowSeconds: INT, triggerEventId: TRIGGER }, [
      'chatId',
      'replies',
      'windowSeconds',
      'triggerEventId',
    ]),
    example: {
      chatId: EXAMPLE.chatId,
      replies: 5,
      windowSeconds: 600,
      triggerEventId: EXAMPLE.triggerEventId,
    },
  }),
  defineEvent({
    type: 'automation.action.failed',
    version: 1,
    description:
      "A rule action could not be carried out (the HTTP endpoint failed or was refused, the reply's template is gone, ...). Not retried.",
    orderingKey: 'chat',
    dataSchema: obj(
      {
        ruleId: STR,
        action: { type: 'string', enum: AUTOMATION_ACTIONS },
        code: STR,
        message: STR,
        triggerEventId: TRIGGER,
        chatId: CHAT,
      },
      ['ruleId', 'action', 'code', 'message', 'triggerEventId', 'chatId'],
    ),
    example: {
      ruleId: EXAMPLE.ruleId,
      action: 'http',
      code: 'http_status',
      message: 'the endpoint answered 503',
      triggerEventId: EXAMPLE.triggerEventId,
      chatId: EXAMPLE.chatId,
    },
  }),
  defineEvent({
    type: 'faq.answered',
    version: 1,
    description: 'A FAQ bot answered an inbound question with one of its entries.',
    orderingKey: 'chat',
    dataSchema: obj(
      {
        botId: STR,
        entryId: STR,
        score: SCORE,
        question: STR,
        chatId: CHAT,
        triggerEventId: TRIGGER,
        ruleId: { ...STR, description: 'The rule whose askFaq action asked it; absent for a fallback bot' },
      },
      ['botId', 'entryId', 'score', 'question', 'chatId', 'triggerEventId'],
    ),
    example: {
      botId: EXAMPLE.botId,
      entryId: 'fqe_01JDQ94A1B2C3D4E5F6G7H8J9K',
      score: 7.25,
      question: 'when do you open?',
      chatId: EXAMPLE.chatId,
      triggerEventId: EXAMPLE.triggerEventId,
    },
  }),
  defineEvent({
    type: 'faq.missed',
    version: 1,
    description:
      "A FAQ bot found no entry above its threshold; it sent its fallback answer (if any) and hands off after the bot's number of misses in a row.",
    orderingKey: 'chat',
    dataSchema: obj(
      {
        botId: STR,
        entryId: STR,
        score: SCORE,
        question: STR,
        chatId: CHAT,
        triggerEventId: TRIGGER,
        missesInRow: INT,
        ruleId: STR,
      },
      ['botId', 'question', 'chatId', 'triggerEventId', 'missesInRow'],
    ),
    example: {
      botId: EXAMPLE.botId,
      question: 'can I pay with bitcoin?',
      chatId: EXAMPLE.chatId,
      triggerEventId: EXAMPLE.triggerEventId,
      missesInRow: 1,
    },
  }),
];
