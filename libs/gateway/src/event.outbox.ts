import type { EventEnvelope } from '@wwb/contracts';

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
