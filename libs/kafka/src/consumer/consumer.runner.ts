import { BeforeApplicationShutdown, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { EventValidator } from '@wwb/contracts';
import { AppLogger, MetricsRegistry } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { ConsumerSession } from './consumer.session';
import { ConsumerHandle, RunOptions } from './consumer.types';
import { DeadLetterProducer } from './dead-letter.producer';
import { KafkaClient } from '../kafka.client';
import { RetryPolicy } from './retry.policy';

/**
 * Runs every consumer of the platform with the same rules:
 *
 * - Messages of one partition are handled in order, one at a time (partitions in parallel
 *   with `concurrency`). An offset is committed only once its message was handled or
 *   dead-lettered, so delivery is at least once: after a crash the uncommitted tail is
 *   handled again, and handlers must be idempotent (dedupe on the event id, see
 *   ProcessedEventStore for effects that must happen once).
 * - Each message is parsed and validated (EventValidator); an invalid one goes to the
 *   dead-letter topic at once.
 * - A handler's PermanentError dead-letters the message at once; any other error is retried in
 *   place with exponential backoff (config.kafka.consumer) and dead-lettered when the attempts
 *   run out. Dead-letter messages keep the original key, value and headers and add dlq-* headers.
 * - Handlers run inside RequestContext with the message's correlation id.
 * - stop() (and application shutdown) lets in-flight handlers finish, commits, and leaves the group.
 */
@Injectable()
export class ConsumerRunner implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly sessions = new Set<ConsumerSession>();
  private readonly validator = new EventValidator();

  constructor(
    private readonly client: KafkaClient,
    private readonly deadLetters: DeadLetterProducer,
    private readonly config: AppConfig,
    private readonly logger: AppLogger,
    private readonly metrics: MetricsRegistry,
    private readonly clock: Clock,
  ) {}

  async run(options: RunOptions): Promise<ConsumerHandle> {
    if (!options.handler === !options.handlerBatch)
      throw new Error('pass exactly one of handler and handlerBatch');
    const defaults = this.config.kafka.consumer;
    const retry = new RetryPolicy({
      maxAttempts: options.retry?.maxAttempts ?? defaults.maxAttempts,
      baseMs: options.retry?.baseMs ?? defaults.retryBaseMs,
      maxMs: options.retry?.maxMs ?? defaults.retryMaxMs,
    });
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    const topic = this.client.topicName(options.topic);
    const consumer = this.client.consumer({
      groupId: this.client.groupId(options.groupId),
      sessionTimeout,
      heartbeatInterval: Math.min(3000, Math.floor(sessionTimeout / 3)),
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 1000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      allowAutoTopicCreation: false,
    });
    const session = new ConsumerSession(
      {
        consumer,
        validator: this.validator,
        deadLetters: this.deadLetters,
        metrics: this.metrics,
        clock: this.clock,
        logger: this.logger.child({ context: 'ConsumerRunner', group: options.groupId, topic }),
        retry,
        shutdownTimeoutMs: this.config.shutdownTimeoutMs,
      },
      options,
      topic,
      (s) => this.sessions.delete(s),
    );
    await session.start();
    this.sessions.add(session);
    return session;
  }

  /** Stops every consumer started by this runner (in parallel). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.stop()));
  }

  /** Consumers stop before any onApplicationShutdown hook closes Kafka or Mongo clients. */
  beforeApplicationShutdown(): Promise<void> {
    return this.stopAll();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stopAll();
  }
}
