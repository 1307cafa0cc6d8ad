import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, isEventOf } from '@wwb/contracts';
import { ConsumerHandle, ConsumerRunner } from '@wwb/kafka';
import { ChatHandoffService } from './chat-handoff.service';
import { ChatStateStore } from './chat-state.store';
import { InboundAutomationService } from './inbound-automation.service';

export const AUTOMATION_GROUP = 'automation';

/**
 * Consumer group `automation` on the events topic: runs the inbound pipeline for every
 * `message.received` and watches `message.sent` for a human answering (hand-off). A chat's events
 * share a Kafka key, so one member handles them, in order: each chat's automation state has one
 * writer. Failures other than an action's own (database or Kafka down) are retried by the runner,
 * which is safe: a turn's effects are idempotent (see InboundAutomationService).
 */
@Injectable()
export class AutomationConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly states: ChatStateStore,
    private readonly inbound: InboundAutomationService,
    private readonly handoffs: ChatHandoffService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.states.ready();
    this.handle = await this.runner.run({
      groupId: AUTOMATION_GROUP,
      topic: 'events',
      concurrency: 3,
      handler: (event) => this.onEvent(event),
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

  async onEvent(event: EventEnvelope): Promise<void> {
    if (isEventOf(event, 'message.received')) return this.inbound.onInbound(event);
    if (isEventOf(event, 'message.sent')) return this.handoffs.onOutbound(event);
  }
}
