import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { EventEnvelope } from '@wwb/contracts';
import type { EventPublisher } from '@wwb/kafka';
import type { Logger } from 'pino';
import { GATEWAY_SIGNALS, readySignal } from '../gateway.signals';

export interface EventOutboxOptions {
  /** Sends one batch (resolves once Kafka has it). */
  publish(events: EventEnvelope[]): Promise<void>;
  /** A batch could not be sent (the producer only gives up when it is shut down). */
  onError(err: unknown, events: EventEnvelope[]): void;
  /** Largest batch per produce call. Default 200. */
  maxBatch?: number;
}

/**
 * The gateway's events on their way to Kafka: one queue for the whole node, sent in order, a
 * batch per produce call while the previous one is in flight. Order per connection and chat
 * is the order of `push()` (the driver's order), whatever the latency of Kafka.
 */
export class EventOutbox {
  private pending: EventEnvelope[] = [];
  private draining?: Promise<void>;
  private readonly maxBatch: number;

  constructor(private readonly options: EventOutboxOptions) {
    this.maxBatch = options.maxBatch ?? 200;
  }

  push(event: EventEnvelope): void {
    this.pending.push(event);
    this.kick();
  }

  private kick(): void {
    if (this.draining) return;
    const run = this.drain();
    this.draining = run;
    void run.finally(() => {
      if (this.draining !== run) return;
      this.draining = undefined;
      if (this.pending.length) this.kick();
    });
  }

  /** Resolves once everything pushed so far was sent (or given up). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  get queued(): number {
    return this.pending.length;
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        await this.options.publish(batch);
      } catch (err) {
        this.options.onError(err, batch);
      }
    }
  }
}

/**
 * The outbox of a gateway node: its events go to Kafka in order; once Kafka has a
 * `connection.ready`, the node's in-process listeners are told (GATEWAY_SIGNALS.connectionReady),
 * e.g. to resume the sends that waited for the connection.
 */
export function nodeOutbox(publisher: EventPublisher, signals: EventEmitter2, logger: Logger): EventOutbox {
  return new EventOutbox({
    publish: async (events) => {
      await publisher.publish(events);
      for (const e of events) {
        if (e.type === 'connection.ready') signals.emit(GATEWAY_SIGNALS.connectionReady, readySignal(e));
      }
    },
    onError: (err, events) =>
      logger.error({ err, events: events.length, first: events[0]?.id }, 'events could not be published'),
  });
}
