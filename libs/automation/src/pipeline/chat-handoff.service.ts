import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import type { HandoffReason, TypedEvent } from '@wwb/contracts';
import { scopeOf } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { AutomationEventsProducer } from './automation-events.producer';
import { AutomationTurn, PendingEvent, pending } from './automation-turn.model';
import { ChatGuardPolicy } from './chat-guard.policy';
import { ChatStateStore } from './chat-state.store';

/** Used for a hand-off whose length nobody chose (FAQ misses) when the human pause is 0. */
const DEFAULT_HANDOFF_MINUTES = 30;

export interface HandoffStart {
  reason: HandoffReason;
  /** Default: AUTOMATION_HUMAN_PAUSE_MINUTES. */
  minutes?: number;
  ruleId?: string;
  botId?: string;
}

/** Status updates and broadcast lists are no conversation automation takes part in. */
export const isBroadcast = (chatId: string): boolean => chatId.endsWith('@broadcast');

/** Sources of messages automation sent itself: their message.sent is no human answering. */
const AUTOMATED_SOURCES: ReadonlySet<string> = new Set(['auto_reply', 'faq_bot', 'opt_out', 'campaign']);

/**
 * Hand-off to a human: automation stays silent in a chat until a time. Started by a rule's
 * `handoff` action, by a FAQ bot's misses in a row, and by a human answering: an outgoing
 * message (`message.sent`, fromMe) typed on the phone (no origin) or sent through the API
 * (`source: api`) pauses the chat for AUTOMATION_HUMAN_PAUSE_MINUTES; messages automation or a
 * campaign sent do not. A person can also take a chat over (and give it back) on purpose: the API
 * publishes automation.handoff.requested, applied here by the chat's one writer. The end is
 * noticed lazily, by the next inbound message.
 */
@Injectable()
export class ChatHandoffService {
  private readonly humanPauseMinutes: number;

  constructor(
    private readonly guards: ChatGuardPolicy,
    private readonly states: ChatStateStore,
    private readonly events: AutomationEventsProducer,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.humanPauseMinutes = config.automation.humanPauseMinutes;
  }

  /** Pauses the turn's chat; announces it when the chat was not paused already. */
  start(turn: AutomationTurn, h: HandoffStart): void {
    const minutes = h.minutes ?? (this.humanPauseMinutes || DEFAULT_HANDOFF_MINUTES);
    const until = new Date(turn.now.getTime() + minutes * 60_000);
    const ids = { ...(h.ruleId ? { ruleId: h.ruleId } : {}), ...(h.botId ? { botId: h.botId } : {}) };
    if (!this.guards.pause(turn.state, { until, reason: h.reason, ...ids }, turn.now)) return;
    turn.events.push(
      pending('automation.handoff.started', {
        chatId: turn.chatId,
        until: until.toISOString(),
        reason: h.reason,
        ...ids,
        triggerEventId: turn.event.id,
      }),
    );
  }

  /** Whether automation may act in the turn's chat; announces the end of a pause that ran out. */
  active(turn: AutomationTurn): boolean {
    const status = this.guards.pauseStatus(turn.state, turn.now);
    if (status === 'paused') return false;
    if (status === 'ended') {
      const ended = this.guards.endPause(turn.state)!;
      turn.events.push(
        pending('automation.handoff.ended', {
          chatId: turn.chatId,
          reason: 'expired',
          endedAt: new Date(ended.until).toISOString(),
        }),
      );
    }
    return true;
  }

  /**
   * A person's take-over or give-back (automation.handoff.requested). A take-over without minutes
   * lasts AUTOMATION_HUMAN_PAUSE_MINUTES (30 when that is 0: the person asked for a pause). Giving
   * back also forgets the FAQ misses in a row, so the bot does not hand straight back.
   */
  async onRequest(event: TypedEvent<'automation.handoff.requested'>): Promise<void> {
    const data = event.data;
    if (!event.connectionId || isBroadcast(data.chatId)) return;
    const scope = scopeOf(event.accountId);
    const chat = { connectionId: event.connectionId, chatId: data.chatId };
    const now = this.clock.now();
    const loaded = await this.states.get(scope, chat);
    if (loaded && this.guards.handled(loaded, event.id)) return;

    const state = loaded ? structuredClone(loaded) : this.guards.newState(scope, chat, now);
    const out: PendingEvent[] = [];
    if (data.action === 'take_over') {
      const minutes = data.minutes ?? (this.humanPauseMinutes || DEFAULT_HANDOFF_MINUTES);
      const until = new Date(now.getTime() + minutes * 60_000);
      const pause = { until, reason: 'human_reply' as const, requestedBy: data.requestedBy };
      if (this.guards.takeOver(state, pause, now)) {
        out.push(
          pending('automation.handoff.started', {
            chatId: data.chatId,
            until: until.toISOString(),
            reason: 'human_reply',
            triggerEventId: event.id,
          }),
        );
      }
    } else {
      const status = this.guards.pauseStatus(state, now);
      const ended = this.guards.endPause(state);
      state.faqMisses = [];
      if (ended && status !== 'none') {
        const expired = status === 'ended';
        out.push(
          pending('automation.handoff.ended', {
            chatId: data.chatId,
            reason: expired ? 'expired' : 'resumed',
            endedAt: (expired ? new Date(ended.until) : now).toISOString(),
          }),
        );
      }
    }
    this.guards.markHandled(state, event.id, now);
    await this.events.publish(scope, { ...chat, cause: event }, out);
    await this.states.save(state, !loaded);
  }

  /** A message this account sent: a human's pauses automation in that chat. */
  async onOutbound(event: TypedEvent<'message.sent'>): Promise<void> {
    const data = event.data;
    if (!data.fromMe || !event.connectionId || this.humanPauseMinutes <= 0 || isBroadcast(data.chatId))
      return;
    if (data.origin && AUTOMATED_SOURCES.has(data.origin.source)) return;
    const scope = scopeOf(event.accountId);
    const chat = { connectionId: event.connectionId, chatId: data.chatId };
    const now = this.clock.now();
    const loaded = await this.states.get(scope, chat);
    if (loaded && (this.guards.handled(loaded, event.id) || this.guards.isOwnReply(loaded, data.messageId)))
      return;

    const state = loaded ? structuredClone(loaded) : this.guards.newState(scope, chat, now);
    const until = new Date(now.getTime() + this.humanPauseMinutes * 60_000);
    const started = this.guards.pause(state, { until, reason: 'human_reply' }, now);
    this.guards.markHandled(state, event.id, now);
    if (started) {
      await this.events.publish(scope, { ...chat, cause: event }, [
        pending('automation.handoff.started', {
          chatId: data.chatId,
          until: until.toISOString(),
          reason: 'human_reply',
          triggerEventId: event.id,
        }),
      ]);
    }
    await this.states.save(state, !loaded);
  }
}
