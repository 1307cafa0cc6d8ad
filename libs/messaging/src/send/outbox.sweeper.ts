import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { LeasedJob, LeasedJobService } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { IdempotencyRepository } from './idempotency.repository';
import { MessageCommandProducer } from './message-command.producer';
import { OutboundMessageRepository } from '../outbound';

export const SWEEPER_LEASE = 'messaging.outbox-sweeper';
const BATCH = 500;
const MAX_BACKOFF_MS = 10 * 60_000;
const PURGE_EVERY_MS = 10 * 60_000;

export interface SweepResult {
  leader: boolean;
  republished: number;
}

/**
 * Re-publishes `gateway.message.send` for messages still pending MESSAGE_REQUEUE_AFTER_MS after
 * they were accepted (the publish after the 202 failed, or no gateway took the command yet), then
 * again with a doubling delay (capped at 10 min) while they stay pending. A @nestjs/schedule
 * interval fires on every worker; only the holder of the Mongo lease sweeps. The gateway's send
 * claim makes a re-published message harmless: it is never sent twice. Also purges expired
 * Idempotency-Keys.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly job: LeasedJob;
  private readonly intervalMs: number;
  private readonly requeueAfterMs: number;
  private readonly idempotencyTtlMs: number;
  private lastPurge = 0;

  constructor(
    jobs: LeasedJobService,
    private readonly messages: OutboundMessageRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly commands: MessageCommandProducer,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'OutboxSweeper' });
    this.intervalMs = config.messaging.sweepIntervalMs;
    this.requeueAfterMs = config.messaging.requeueAfterMs;
    this.idempotencyTtlMs = config.messaging.idempotencyKeyTtlHours * 3_600_000;
    this.job = jobs.create({
      name: SWEEPER_LEASE,
      intervalMs: this.intervalMs,
      leaseMs: Math.max(3 * this.intervalMs, 5_000),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.sweep());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One sweep, if this node holds (or takes) the lease. */
  async sweep(): Promise<SweepResult> {
    if (!(await this.job.lead())) {
      return { leader: false, republished: 0 };
    }
    const now = this.clock.now();
    const pending = await this.messages.findPending(new Date(now.getTime() - this.requeueAfterMs), BATCH);
    const requeues = await this.messages.requeueInfo(pending.map((m) => m._id));
    let republished = 0;
    for (const message of pending) {
      const previous = requeues.get(message._id);
      const count = previous?.count ?? 0;
      if (previous) {
        const delay = Math.min(this.requeueAfterMs * 2 ** count, MAX_BACKOFF_MS);
        if (now.getTime() - previous.lastAt.getTime() < delay) continue;
      }
      await this.commands.publishSend(message);
      await this.messages.noteRequeued(message._id, count + 1, now);
      republished += 1;
    }
    if (republished) this.logger.info({ republished }, 're-published pending messages');
    if (now.getTime() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now.getTime();
      await this.idempotency.purgeOlderThan(new Date(now.getTime() - this.idempotencyTtlMs));
    }
    return { leader: true, republished };
  }
}
