import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { AccountScope } from '@wwb/persistence';
import { ChatPause, ChatStateRecord } from './chat-state.schema';
import { ChatRef, chatStateId } from './chat-state.store';

/** The loop breaker counts automated replies per chat over this window. */
export const LOOP_WINDOW_MS = 10 * 60_000;
/** An inbound message after this much silence starts a new conversation (`firstMessage`). */
export const CONVERSATION_GAP_MS = 24 * 60 * 60_000;
/** Redeliveries replay at most the uncommitted tail of a partition: a few events per chat. */
const HANDLED_EVENTS_KEPT = 64;
const FIRINGS_KEPT = 100;
const REPLY_IDS_KEPT = 50;

export interface GuardSettings {
  /** Most automated replies per chat per LOOP_WINDOW_MS. */
  maxRepliesPerChat: number;
}

export type PauseStatus = 'none' | 'paused' | 'ended';

export interface ReplyBudget {
  allowed: boolean;
  /** Replies already sent within the window. */
  replies: number;
  /** The breaker trips now (first refusal of this episode): publish it, once. */
  tripped: boolean;
}

const keepLast = <T>(list: T[], n: number): T[] => (list.length > n ? list.slice(list.length - n) : list);

/**
 * The guards of automated replies, over a chat's state (ChatStateRecord, changed in place: the
 * caller owns a copy and saves it whole): cooldown per contact per rule, the loop breaker (at
 * most N automated replies per chat per 10 minutes), the hand-off pause, FAQ misses in a row,
 * and which events were already applied. Pure: time comes in as `now`.
 */
@Injectable()
export class ChatGuardPolicy {
  readonly settings: GuardSettings;

  constructor(config: AppConfig) {
    this.settings = { maxRepliesPerChat: config.automation.maxRepliesPerChat };
  }

  static of(settings: GuardSettings): ChatGuardPolicy {
    return new ChatGuardPolicy({ automation: settings } as unknown as AppConfig);
  }

  newState(scope: AccountScope, chat: ChatRef, now: Date): ChatStateRecord {
    return {
      _id: chatStateId(scope, chat),
      accountId: scope.accountId,
      connectionId: chat.connectionId,
      chatId: chat.chatId,
      firstSeenAt: now,
      lastInboundAt: null,
      replyTimes: [],
      loopTripped: false,
      firings: [],
      pause: null,
      faqMisses: [],
      replyMessageIds: [],
      handledEventIds: [],
      updatedAt: now,
    };
  }

  handled(state: ChatStateRecord, eventId: string): boolean {
    return state.handledEventIds.includes(eventId);
  }

  markHandled(state: ChatStateRecord, eventId: string, now: Date): void {
    state.handledEventIds = keepLast([...state.handledEventIds, eventId], HANDLED_EVENTS_KEPT);
    state.updatedAt = now;
  }

  /** Records an inbound message; true when it opens a conversation (none before, or a long silence). */
  noteInbound(state: ChatStateRecord, now: Date): boolean {
    const last = state.lastInboundAt;
    state.lastInboundAt = now;
    return !last || now.getTime() - new Date(last).getTime() >= CONVERSATION_GAP_MS;
  }

  pauseStatus(state: ChatStateRecord, now: Date): PauseStatus {
    if (!state.pause) return 'none';
    return new Date(state.pause.until).getTime() > now.getTime() ? 'paused' : 'ended';
  }

  /**
   * Pauses automation in the chat until `pause.until` (a later pause already running is kept).
   * Returns whether a hand-off starts now (the chat was not paused): only then is it announced.
   */
  pause(state: ChatStateRecord, pause: Omit<ChatPause, 'since'>, now: Date): boolean {
    const status = this.pauseStatus(state, now);
    if (status === 'paused' && new Date(state.pause!.until).getTime() >= pause.until.getTime()) return false;
    const since = status === 'paused' ? state.pause!.since : now;
    state.pause = { ...pause, since };
    return status !== 'paused';
  }

  /**
   * A person takes the chat over until `pause.until`: unlike pause(), their end replaces a later
   * one already running (they chose how long). Returns whether a hand-off starts now.
   */
  takeOver(state: ChatStateRecord, pause: Omit<ChatPause, 'since'>, now: Date): boolean {
    const paused = this.pauseStatus(state, now) === 'paused';
    state.pause = { ...pause, since: paused ? state.pause!.since : now };
    return !paused;
  }

  endPause(state: ChatStateRecord): ChatPause | null {
    const ended = state.pause;
    state.pause = null;
    return ended;
  }

  inCooldown(
    state: ChatStateRecord,
    ruleId: string,
    contactKey: string,
    seconds: number,
    now: Date,
  ): boolean {
    if (seconds <= 0) return false;
    const last = state.firings.find((f) => f.ruleId === ruleId && f.contactKey === contactKey);
    return !!last && now.getTime() - new Date(last.at).getTime() < seconds * 1000;
  }

  noteFiring(state: ChatStateRecord, ruleId: string, contactKey: string, now: Date): void {
    const others = state.firings.filter((f) => !(f.ruleId === ruleId && f.contactKey === contactKey));
    state.firings = keepLast([...others, { ruleId, contactKey, at: now }], FIRINGS_KEPT);
  }

  /** Whether one more automated reply may go to the chat now. */
  replyBudget(state: ChatStateRecord, now: Date): ReplyBudget {
    const from = now.getTime() - LOOP_WINDOW_MS;
    state.replyTimes = state.replyTimes.filter((t) => new Date(t).getTime() > from);
    const replies = state.replyTimes.length;
    if (replies < this.settings.maxRepliesPerChat) {
      state.loopTripped = false;
      return { allowed: true, replies, tripped: false };
    }
    const tripped = !state.loopTripped;
    state.loopTripped = true;
    return { allowed: false, replies, tripped };
  }

  /** Remembers an automated message; `counts`: it uses up the loop breaker's budget. */
  noteReply(state: ChatStateRecord, messageId: string, now: Date, counts = true): void {
    if (counts) state.replyTimes = keepLast([...state.replyTimes, now], this.settings.maxRepliesPerChat);
    state.replyMessageIds = keepLast([...state.replyMessageIds, messageId], REPLY_IDS_KEPT);
  }

  isOwnReply(state: ChatStateRecord, messageId: string | undefined): boolean {
    return !!messageId && state.replyMessageIds.includes(messageId);
  }

  /** One more miss of the bot in a row; returns the count. */
  faqMissed(state: ChatStateRecord, botId: string): number {
    const inRow = (state.faqMisses.find((m) => m.botId === botId)?.inRow ?? 0) + 1;
    state.faqMisses = [...state.faqMisses.filter((m) => m.botId !== botId), { botId, inRow }];
    return inRow;
  }

  resetFaqMisses(state: ChatStateRecord, botId: string): void {
    state.faqMisses = state.faqMisses.filter((m) => m.botId !== botId);
  }
}
