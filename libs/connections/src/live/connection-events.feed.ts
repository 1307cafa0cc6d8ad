import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { EventEnvelope, EventValidator } from '@wwb/contracts';
import { KafkaClient } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { IdGenerator } from '@wwb/runtime';

export interface FeedSubscriber {
  accountId: string;
  connectionId: string;
  onEvent(event: EventEnvelope): void;
  /** The feed is closing (shutdown): end the stream. */
  onClose(): void;
}

/**
 * Live events for Server-Sent Events streams: this API process reads the events topic with a
 * consumer group of its own (a unique id, from the newest offset, never committing, no other
 * effect) and hands each event to the streams open for its connection. Started with the first
 * subscriber; the consumer runs until shutdown.
 *
 * It uses a raw kafkajs consumer on purpose: ConsumerRunner commits offsets and dead-letters
 * invalid messages, which are effects that must not multiply with every API process.
 */
@Injectable()
export class ConnectionEventsFeed implements OnModuleDestroy {
  private readonly logger: Logger;
  private readonly subscribers = new Map<string, Set<FeedSubscriber>>();
  private readonly validator = new EventValidator();
  private consumer?: Consumer;
  private live?: Promise<void>;
  private closed = false;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly ids: IdGenerator,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ConnectionEventsFeed' });
  }

  /**
   * Registers a stream and starts the feed if needed. Resolves true once the feed receives
   * every new event (the consumer joined and fetched), false if that took longer than
   * `timeoutMs` (the stream still gets events from then on).
   */
  async subscribe(
    subscriber: FeedSubscriber,
    timeoutMs = 30_000,
  ): Promise<{ live: boolean; unsubscribe: () => void }> {
    let set = this.subscribers.get(subscriber.connectionId);
    if (!set) this.subscribers.set(subscriber.connectionId, (set = new Set()));
    set.add(subscriber);
    const unsubscribe = (): void => {
      const current = this.subscribers.get(subscriber.connectionId);
      current?.delete(subscriber);
      if (current?.size === 0) this.subscribers.delete(subscriber.connectionId);
    };
    if (this.closed) {
      unsubscribe();
      subscriber.onClose();
      return { live: false, unsubscribe };
    }
    let timer: NodeJS.Timeout | undefined;
    const live = await Promise.race([
      this.start().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return { live, unsubscribe };
  }

  /** Streams open now (metrics, tests). */
  get size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const set of this.subscribers.values()) for (const s of set) s.onClose();
    this.subscribers.clear();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer
      ?.disconnect()
      .catch((err: unknown) => this.logger.warn({ err }, 'feed consumer did not stop cleanly'));
  }

  private start(): Promise<void> {
    this.live ??= this.run().catch((err: unknown) => {
      this.logger.error({ err }, 'live event feed failed to start');
      this.live = undefined;
      throw err;
    });
    return this.live;
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.kafka.groupId(`api-live-${this.ids.ulid().toLowerCase()}`),
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    let joined = false;
    const fetched = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      consumer.on(consumer.events.FETCH, () => {
        if (joined) resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.kafka.topicName('events'), fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => this.dispatch(message.value),
    });
    await fetched;
    this.logger.info('live event feed is receiving events');
  }

  private dispatch(value: Buffer | null): void {
    if (this.subscribers.size === 0) return;
    const parsed = this.validator.parse(value);
    if (!parsed.ok) return;
    const event = parsed.event;
    if (!event.connectionId) return;
    const set = this.subscribers.get(event.connectionId);
    if (!set) return;
    for (const s of set) {
      if (s.accountId !== event.accountId) continue;
      try {
        s.onEvent(event);
      } catch (err) {
        this.logger.warn({ err }, 'live event subscriber failed');
      }
    }
  }
}
