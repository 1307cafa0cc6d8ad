import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ClaimStore, OnceOptions, OnceResult } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock, IdGenerator } from '@wwb/runtime';
import { PROCESSED_EVENT_MODEL, processedEventKey, ProcessedEventRecord } from './processed-event.schema';

export { DEFAULT_CLAIM_LEASE_MS } from '@wwb/infrastructure';
export type { OnceOptions, OnceResult } from '@wwb/infrastructure';

/**
 * Runs an effect at most once per (consumer, event), as far as a database can promise it: a
 * ClaimStore (@wwb/infrastructure) keyed by consumer and event id. once() runs the effect and
 * returns its value, skips it ({skipped: true}) when it was done, waits while another worker
 * runs it, and takes over a claim older than the lease (its holder presumed dead) by claiming
 * the next generation, so that exactly one of several racing workers runs it.
 *
 * At-least-once caveat: this narrows duplicates, it cannot remove them (see ClaimStore).
 * Effects that leave the process should also pass the event id on as an idempotency key.
 *
 * The indexes are created at start-up whatever MONGO_AUTO_INDEX says.
 */
@Injectable()
export class ProcessedEventStore implements OnModuleInit {
  private readonly claims: ClaimStore;

  constructor(
    @InjectModel(PROCESSED_EVENT_MODEL) model: Model<ProcessedEventRecord>,
    clock: Clock,
    ids: IdGenerator,
    appLogger: AppLogger,
  ) {
    this.claims = new ClaimStore(model, clock, ids, appLogger.child({ context: 'ProcessedEventStore' }));
  }

  async onModuleInit(): Promise<void> {
    await this.claims.ensureIndexes();
  }

  once<T>(
    consumer: string,
    eventId: string,
    effect: () => Promise<T>,
    opts: OnceOptions = {},
  ): Promise<OnceResult<T>> {
    return this.claims.once(processedEventKey(consumer, eventId), effect, opts);
  }

  /** Whether the effect of (consumer, event) completed. */
  isDone(consumer: string, eventId: string): Promise<boolean> {
    return this.claims.isDone(processedEventKey(consumer, eventId));
  }

  /**
   * Forgets effects done before `before` (no TTL index: FerretDB has none). Redelivery of an
   * event older than the retention would run its effect again, so keep it longer than the
   * Kafka retention of the topics. Returns the number of 'done' rows removed.
   */
  purgeDone(before: Date): Promise<number> {
    return this.claims.purgeDone(before);
  }
}
