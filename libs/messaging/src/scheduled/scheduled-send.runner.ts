import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AccountsService } from '@wwb/accounts';
import { LeasedJob, LeasedJobService, QuotaSlotRepository } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { AccountScope, scopeOf } from '@wwb/persistence';
import { Clock, isDomainError } from '@wwb/runtime';
import { MessageStatusProducer } from '../gateway/message-status.producer';
import { SendQuota, SendQuotaService } from '../send/send-quota.service';
import { SendMessageUseCase } from '../send/send-message.service';
import { parseRecipient } from '../send/send-request.parser';
import { ScheduledMessageRepository } from './scheduled-message.repository';
import { ScheduledMessageRecord } from './scheduled-message.schema';

export const SCHEDULED_SEND_LEASE = 'messaging.scheduled-send';
export const SCHEDULED_TICK_MS = 1_000;
const BATCH = 200;
const CONCURRENCY = 16;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
/** A failed scheduled message stays readable this long, then it is purged. */
export const FAILED_RETENTION_MS = 7 * 24 * 3_600_000;
/** A scheduledMessages slot without its message is an orphan only once it is older than this. */
const SLOT_GRACE_MS = 60_000;

export type FireOutcome = 'sent' | 'failed' | 'retry' | 'skipped';

export interface ScheduledRunResult {
  leader: boolean;
  outcomes: Record<FireOutcome, number>;
}

/**
 * Sends scheduled messages when their sendAt comes, on the worker holding the Mongo lease (a
 * @nestjs/schedule interval ticks every second on every worker). Each message goes through
 * SendMessageUseCase like any send, under its scheduled id and the idempotency key
 * `scheduled:<id>`: a run that dies after the send and before tidying up repeats it as a replay,
 * so a message is accepted once even across lease handovers. Before sending, the runner wins the
 * `fire` claim of the message's version, so a reschedule or cancel racing it gets 409.
 * - accepted: the scheduled document is removed (the message lives in `messages` from now on);
 * - refused for good (connection deleted or stopped, upload gone, ...): kept as `failed` with the
 *   reason for FAILED_RETENTION_MS, and `message.status` failed is published;
 * - refused for now (too many pending messages, Mongo or Kafka down): tried again after a delay
 *   that doubles (5 s to 5 min).
 */
@Injectable()
export class ScheduledSendRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly job: LeasedJob;

  constructor(
    jobs: LeasedJobService,
    private readonly scheduled: ScheduledMessageRepository,
    private readonly sending: SendMessageUseCase,
    private readonly accounts: AccountsService,
    private readonly quotas: SendQuotaService,
    private readonly slots: QuotaSlotRepository,
    private readonly statuses: MessageStatusProducer,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ScheduledSendRunner' });
    this.job = jobs.create({
      name: SCHEDULED_SEND_LEASE,
      intervalMs: SCHEDULED_TICK_MS,
      leaseMs: 10_000,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One run, if this node holds (or takes) the lease: everything due, then the upkeep. */
  async run(): Promise<ScheduledRunResult> {
    const outcomes: Record<FireOutcome, number> = { sent: 0, failed: 0, retry: 0, skipped: 0 };
    if (!(await this.job.lead())) return { leader: false, outcomes };
    for (;;) {
      const due = await this.scheduled.due(this.clock.now(), BATCH);
      for (let i = 0; i < due.length; i += CONCURRENCY) {
        const results = await Promise.all(due.slice(i, i + CONCURRENCY).map((m) => this.fire(m)));
        for (const r of results) outcomes[r] += 1;
      }
      // A full batch may mean more are due; a batch of retries only would loop: stop there.
      if (due.length < BATCH || outcomes.sent + outcomes.failed === 0) break;
    }
    await this.upkeep();
    if (outcomes.sent || outcomes.failed || outcomes.retry) this.logger.info(outcomes, 'scheduled messages');
    return { leader: true, outcomes };
  }

  /** Sends one due message (see the class comment for the outcomes). */
  async fire(message: ScheduledMessageRecord): Promise<FireOutcome> {
    const now = this.clock.now();
    const claim = await this.scheduled.claim(message._id, message.version, 'fire', now);
    // A fire recorded earlier is this job's own (a run that died, or a retry): go on with it.
    if (!claim.won && claim.recorded !== 'fire') return 'skipped';
    const scope = scopeOf(message.accountId);
    try {
      await this.sending.execute(scope, {
        connectionId: message.connectionId,
        message: message.body,
        messageId: message._id,
        idempotencyKey: `scheduled:${message._id}`,
        origin: message.origin,
        scheduledFor: message.sendAt,
        quota: await this.quotaOf(scope),
      });
    } catch (err) {
      if (isDomainError(err) && !err.transient) return this.failed(message, err);
      return this.retry(message, err);
    }
    await this.scheduled.remove(message._id);
    if (message.slotId) await this.quotas.releaseScheduledSlot(message.slotId, message._id);
    return 'sent';
  }

  private async quotaOf(scope: AccountScope): Promise<SendQuota> {
    const plan = await this.accounts.planOf(scope);
    return {
      plan: plan.name,
      pendingMessages: plan.limit('pendingMessages'),
      mediaFetches: plan.limit('mediaFetches'),
      mediaBytes: plan.limit('mediaBytes'),
    };
  }

  private async failed(
    message: ScheduledMessageRecord,
    err: { code: string; message: string },
  ): Promise<FireOutcome> {
    const now = this.clock.now();
    await this.scheduled.replace({
      ...message,
      state: 'failed',
      error: { code: err.code, message: err.message },
      version: message.version + 1,
      updatedAt: now,
    });
    if (message.slotId) await this.quotas.releaseScheduledSlot(message.slotId, message._id);
    await this.statuses
      .publish(
        { accountId: message.accountId, connectionId: message.connectionId },
        chatIdOf(message.body.to),
        { messageId: message._id, status: 'failed', reason: err.code, at: now },
      )
      .catch((e: unknown) =>
        this.logger.warn({ err: e, messageId: message._id }, 'failed status not published'),
      );
    this.logger.info({ messageId: message._id, code: err.code }, 'scheduled message failed');
    return 'failed';
  }

  private async retry(message: ScheduledMessageRecord, err: unknown): Promise<FireOutcome> {
    const delay = Math.min(RETRY_BASE_MS * 2 ** message.attempts, RETRY_MAX_MS);
    const now = this.clock.now();
    // The runner holds this version's fire claim: writing the next version hands the message
    // back, so a reschedule or cancel may win again while it waits.
    await this.scheduled.replace({
      ...message,
      attempts: message.attempts + 1,
      dueAt: new Date(now.getTime() + delay),
      version: message.version + 1,
      updatedAt: now,
    });
    this.logger.warn({ err, messageId: message._id, retryInMs: delay }, 'scheduled message not sent yet');
    return 'retry';
  }

  /** Purges failed messages past their retention and frees slots whose message is gone. */
  private async upkeep(): Promise<void> {
    const now = this.clock.nowMs();
    for (const old of await this.scheduled.failedBefore(new Date(now - FAILED_RETENTION_MS), BATCH)) {
      await this.scheduled.remove(old._id);
    }
    const held = await this.slots.takenBefore(
      'scheduledMessages',
      new Date(now - SLOT_GRACE_MS),
      undefined,
      BATCH,
    );
    const live = await this.scheduled.existing(held.map((s) => s.holderId));
    for (const slot of held) if (!live.has(slot.holderId)) await this.slots.remove(slot);
  }
}

/** The chat of the failed status event (the recipient was checked when it was scheduled). */
function chatIdOf(to: string | undefined): string {
  try {
    return parseRecipient(to);
  } catch {
    return to ?? '';
  }
}
