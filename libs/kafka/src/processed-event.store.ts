import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Logger } from 'pino';
import { AppLogger } from '@wwb/observability';
import { isDuplicateKeyError } from '@wwb/persistence';
import { Clock, IdGenerator } from '@wwb/runtime';
import { PROCESSED_EVENT_MODEL, ProcessedEventRecord } from './processed-event.schema';

export const DEFAULT_CLAIM_LEASE_MS = 60_000;

export interface OnceOptions {
  /**
   * How long a claim protects an effect that has not finished. After that, another worker
   * assumes the holder died and runs the effect again. Must exceed the effect's longest run.
   */
  leaseMs?: number;
  /** Gives up waiting for a claim held elsewhere (the call then rejects). */
  signal?: AbortSignal;
  /** Called while waiting for a claim held elsewhere (pass the consumer context's heartbeat). */
  heartbeat?: () => Promise<void>;
}

export type OnceResult<T> = { skipped: true } | { skipped: false; value: T };

type Claim =
  | { kind: 'owned'; claimId: string }
  | { kind: 'done' }
  | { kind: 'busy'; waitMs: number }
  | { kind: 'again' };

const POLL_MS = 500;

/**
 * Runs an effect at most once per (consumer, event), as far as a database can promise it.
 *
 * once() claims the pair by inserting {state: 'started'} under a unique index:
 * - the insert wins: the effect runs, then the row becomes {state: 'done'};
 * - the row is 'done': the effect is skipped ({skipped: true});
 * - the row is 'started' and younger than the lease: another worker is running the effect (or
 *   died while running it): once() waits, polling, until it is done (skip), released (claim) or
 *   stale;
 * - the row is 'started' and older than the lease: its holder is presumed dead; the stale claim
 *   is deleted (by its claim id) and the pair claimed again by insert, so that exactly one of
 *   several racing workers wins it, and the effect runs;
 * - the effect throws: the claim is deleted so that the retry of the message can run it again.
 *
 * At-least-once caveat: this narrows duplicates, it cannot remove them. The effect runs twice
 * if the process dies after the effect took place but before 'done' was written, or if the
 * effect outlives its lease and another worker takes the claim over. Effects that leave the
 * process (HTTP calls, WhatsApp messages) should also pass the event id on as an idempotency
 * key where the other side supports one.
 *
 * Requires the unique index {consumer, eventId}; it is created at start-up whatever
 * MONGO_AUTO_INDEX says, because correctness depends on it.
 */
@Injectable()
export class ProcessedEventStore implements OnModuleInit {
  private readonly logger: Logger;

  constructor(
    @InjectModel(PROCESSED_EVENT_MODEL) private readonly model: Model<ProcessedEventRecord>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ProcessedEventStore' });
  }

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  async once<T>(
    consumer: string,
    eventId: string,
    effect: () => Promise<T>,
    opts: OnceOptions = {},
  ): Promise<OnceResult<T>> {
    const leaseMs = opts.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
    for (;;) {
      const claim = await this.claim(consumer, eventId, leaseMs);
      if (claim.kind === 'done') return { skipped: true };
      if (claim.kind === 'again') continue;
      if (claim.kind === 'busy') {
        await this.clock.sleep(Math.min(POLL_MS, claim.waitMs), opts.signal);
        await opts.heartbeat?.();
        continue;
      }

      let value: T;
      try {
        value = await effect();
      } catch (err) {
        await this.release(consumer, eventId, claim.claimId);
        throw err;
      }
      const marked = await this.model.updateOne(
        { consumer, eventId, claimId: claim.claimId },
        { $set: { state: 'done', doneAt: this.clock.now() } },
      );
      if (marked.matchedCount === 0) {
        // Another worker took the claim over (our lease ran out): it runs the effect as well.
        this.logger.warn({ consumer, eventId, leaseMs }, 'effect outlived its lease; it may run twice');
      }
      return { skipped: false, value };
    }
  }

  /** Whether the effect of (consumer, event) completed. */
  async isDone(consumer: string, eventId: string): Promise<boolean> {
    return (await this.model.exists({ consumer, eventId, state: 'done' })) !== null;
  }

  /**
   * Deletes 'done' rows older than `before` (no TTL index: FerretDB has none). Redelivery of an
   * event older than the retention would run its effect again, so keep it longer than the
   * Kafka retention of the topics.
   */
  async purgeDone(before: Date): Promise<number> {
    const res = await this.model.deleteMany({ state: 'done', doneAt: { $lt: before } });
    return res.deletedCount;
  }

  private async release(consumer: string, eventId: string, claimId: string): Promise<void> {
    try {
      await this.model.deleteOne({ consumer, eventId, claimId });
    } catch (err) {
      // The claim stays until its lease runs out; the retry then waits for it.
      this.logger.warn({ err, consumer, eventId }, 'could not release a failed claim');
    }
  }

  private async claim(consumer: string, eventId: string, leaseMs: number): Promise<Claim> {
    const claimId = this.ids.ulid();
    const now = this.clock.now();
    try {
      await this.model.create({ consumer, eventId, state: 'started', claimId, claimedAt: now });
      return { kind: 'owned', claimId };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }

    const existing = await this.model.findOne({ consumer, eventId }).lean();
    if (!existing) return { kind: 'again' }; // released meanwhile
    if (existing.state === 'done') return { kind: 'done' };

    const age = now.getTime() - existing.claimedAt.getTime();
    if (age < leaseMs) return { kind: 'busy', waitMs: leaseMs - age };

    // Take over by removing the stale claim and claiming anew: the unique insert is the only
    // arbiter between workers racing for it (FerretDB does not apply concurrent conditional
    // updates of one document atomically, so a compare-and-set update would not be safe).
    await this.model.deleteOne({ consumer, eventId, state: 'started', claimId: existing.claimId });
    this.logger.warn(
      { consumer, eventId, staleClaimAgeMs: age },
      'removed a stale claim; its effect may run again',
    );
    return { kind: 'again' };
  }
}
