import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { EventEnvelope, isEventOf } from '@wwb/contracts';
import { BatchContext, ConsumerHandle, ConsumerRunner } from '@wwb/kafka';
import { RequestContext } from '@wwb/runtime';
import { ChatHandoffService } from './chat-handoff.service';
import { ChatStateStore } from './chat-state.store';
import { InboundAutomationService } from './inbound-automation.service';

export const AUTOMATION_GROUP = 'automation';

/** Chats of one chunk handled at the same time (per partition; each chat's events in order). */
export const CHATS_IN_PARALLEL = 8;

/**
 * Consumer group `automation` on the events topic: runs the inbound pipeline for every
 * `message.received`, watches `message.sent` for a human answering (hand-off) and applies the
 * take-overs and give-backs people ask for (`automation.handoff.requested`). A chat's events
 * share a Kafka key, so one member handles them, in order: each chat's automation state has one
 * writer. Every partition is handled at once, and within a chunk of a partition different chats
 * are handled side by side, each chat's events one after the other (so a slow store read holds
 * back one chat, not the partition). Failures other than an action's own (database or Kafka down)
 * make the runner handle the chunk again one event at a time, with its retries, which is safe: a
 * turn's effects are idempotent and the chat state skips the events it applied (see
 * InboundAutomationService).
 */
@Injectable()
export class AutomationConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly states: ChatStateStore,
    private readonly inbound: InboundAutomationService,
    private readonly handoffs: ChatHandoffService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.states.ready();
    this.handle = await this.runner.run({
      groupId: AUTOMATION_GROUP,
      topic: 'events',
      concurrency: this.config.kafka.topics.events.partitions,
      maxWaitTimeMs: 100,
      handlerBatch: (events, ctx) => this.onEvents(events, ctx),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }

  /** The consumer's handle (tests wait for `joined`). */
  get consumer(): ConsumerHandle | undefined {
    return this.handle;
  }

  /**
   * A chunk of one partition: grouped by chat, the chats handled CHATS_IN_PARALLEL at a time,
   * each chat's events in offset order. The first failure stops the chunk (no later event of
   * that chat may overtake it) and is thrown once the chats in flight settled: the runner then
   * handles the chunk one event at a time, where the events already applied are skipped.
   */
  async onEvents(events: EventEnvelope[], ctx?: Pick<BatchContext, 'signal'>): Promise<void> {
    if (events.length === 1) return this.onEvent(events[0]!);
    const chats = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      const key = chatKeyOf(event);
      const list = chats.get(key);
      if (list) list.push(event);
      else chats.set(key, [event]);
    }
    const queue = [...chats.values()];
    let failure: unknown;
    const worker = async () => {
      for (let chat = queue.shift(); chat; chat = queue.shift()) {
        for (const event of chat) {
          if (failure !== undefined || ctx?.signal.aborted) return;
          try {
            await RequestContext.run({ correlationId: event.correlationId }, () => this.onEvent(event));
          } catch (err) {
            failure ??= err;
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CHATS_IN_PARALLEL, queue.length) }, worker));
    if (failure !== undefined) throw failure;
    if (ctx?.signal.aborted) throw new Error('stopping: the rest of the chunk is left for redelivery');
  }

  async onEvent(event: EventEnvelope): Promise<void> {
    if (isEventOf(event, 'message.received')) return this.inbound.onInbound(event);
    if (isEventOf(event, 'message.sent')) return this.handoffs.onOutbound(event);
    if (isEventOf(event, 'automation.handoff.requested')) return this.handoffs.onRequest(event);
  }
}

/** The chat whose state an event touches (its events share the Kafka key, hence the partition). */
function chatKeyOf(event: EventEnvelope): string {
  const data = event.data as { chatId?: unknown } | null;
  const chatId = typeof data?.chatId === 'string' ? data.chatId : event.chatId;
  return chatId ? `${event.accountId}/${event.connectionId ?? ''}/${chatId}` : event.id;
}
