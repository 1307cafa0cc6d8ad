import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { Logger } from 'pino';
import { EventEnvelope } from '@wwb/contracts';
import { BatchContext, ConsumerHandle, ConsumerRunner } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { EventLogRepository } from './event-log.repository';

export const EVENT_LOG_GROUP = 'event-log';
export const EVENT_LOG_CONSUMER_OPTIONS = Symbol('EVENT_LOG_CONSUMER_OPTIONS');

export interface EventLogConsumerOptions {
  /** Partitions stored in parallel. Default 3. */
  concurrency?: number;
  /** Events per insertMany. Default 500. */
  maxBatchSize?: number;
  /** kafkajs session timeout (how soon a dead worker's partitions move). Default 30000. */
  sessionTimeoutMs?: number;
  /**
   * Attempts per event before it is dead-lettered. Default 50 (with the configured backoff cap,
   * a Mongo outage of many minutes pauses the log instead of dead-lettering it); the log has
   * no business rule that could reject an event, so only storage failures end up here.
   */
  maxAttempts?: number;
}

/**
 * Consumer group `event-log`: stores every event of the `events` topic in the `events`
 * collection. Batch mode: one unordered insertMany per chunk; duplicates (redeliveries after a
 * crash or rebalance) are ignored thanks to `_id` = event id, so the log holds each event once.
 * Starts when the application has bootstrapped; stops before shutdown closes Kafka and Mongo.
 */
@Injectable()
export class EventLogConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;
  private readonly logger: Logger;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly repository: EventLogRepository,
    appLogger: AppLogger,
    @Optional() @Inject(EVENT_LOG_CONSUMER_OPTIONS) private readonly options: EventLogConsumerOptions = {},
  ) {
    this.logger = appLogger.child({ context: 'EventLogConsumer' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<ConsumerHandle> {
    if (this.handle) return this.handle;
    await this.repository.ready();
    this.handle = await this.runner.run({
      groupId: EVENT_LOG_GROUP,
      topic: 'events',
      concurrency: this.options.concurrency ?? 3,
      maxBatchSize: this.options.maxBatchSize ?? 500,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      retry: { maxAttempts: this.options.maxAttempts ?? 50 },
      handlerBatch: (events, ctx) => this.store(events, ctx),
    });
    return this.handle;
  }

  async stop(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }

  private async store(events: EventEnvelope[], ctx: BatchContext): Promise<void> {
    const { inserted, duplicates } = await this.repository.append(events);
    if (duplicates) {
      this.logger.info(
        { partition: ctx.partition, firstOffset: ctx.firstOffset, inserted, duplicates },
        'event log: redelivered events were already stored',
      );
    }
  }
}
