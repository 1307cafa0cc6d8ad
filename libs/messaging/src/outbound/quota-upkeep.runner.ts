import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { LeasedJob, LeasedJobService, QuotaSlotRecord, QuotaSlotRepository } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { OutboundMessageRepository } from './outbound-message.repository';

export const QUOTA_UPKEEP_LEASE = 'messaging.quota-upkeep';
const PAGE = 500;
/** Expired registrations deleted per run at most (the rest at the next run). */
const MAX_REAPED = 2_000;
/** Pending-message slots checked per run at most; the check goes on from there at the next run. */
const MAX_HEAL_PAGES = 2;
/**
 * A pending slot is taken just before its message is stored: a slot without a pending message
 * is an orphan only once it is older than this.
 */
export const PENDING_SLOT_GRACE_MS = 60_000;

export interface QuotaUpkeepResult {
  leader: boolean;
  /** Expired registrations (streams, fetches, jobs whose holder died) deleted. */
  reaped: number;
  /** Pending-message slots whose message is no longer pending (or was never stored) freed. */
  healed: number;
}

/**
 * Keeps the quota slots (@wwb/infrastructure) true, on the worker holding a Mongo lease:
 * - deletes registrations that expired (a stream or fetch whose API process died holds its slot
 *   until then);
 * - frees quota_slots pending-message slots whose message is settled or was never stored (a
 *   gateway or API process that died between the two writes). New messages hold their slot on
 *   themselves (OutboundMessageRecord.heldSlot); these are the slots of messages stored before.
 *   Paged by `_id` with the position kept between runs, so a large backlog costs a bounded amount
 *   per run.
 * A slot it deletes is deleted only if it is still the one it read (same holder and time).
 */
@Injectable()
export class QuotaUpkeepRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly job: LeasedJob;
  private healAfter: string | undefined;

  constructor(
    jobs: LeasedJobService,
    private readonly slots: QuotaSlotRepository,
    private readonly messages: OutboundMessageRepository,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'QuotaUpkeepRunner' });
    const intervalMs = Math.min(60_000, Math.max(1_000, 3 * config.messaging.sweepIntervalMs));
    this.job = jobs.create({
      name: QUOTA_UPKEEP_LEASE,
      intervalMs,
      leaseMs: Math.max(3 * intervalMs, 30_000),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One run, if this node holds (or takes) the lease. */
  async run(): Promise<QuotaUpkeepResult> {
    if (!(await this.job.lead())) return { leader: false, reaped: 0, healed: 0 };
    const reaped = await this.reap();
    const healed = await this.heal();
    if (reaped || healed) this.logger.info({ reaped, healed }, 'quota slots freed');
    return { leader: true, reaped, healed };
  }

  private async reap(): Promise<number> {
    let reaped = 0;
    while (reaped < MAX_REAPED) {
      const expired = await this.slots.expired(this.clock.now(), PAGE);
      let removed = 0;
      for (const slot of expired) if (await this.slots.remove(slot)) removed += 1;
      reaped += removed;
      if (expired.length < PAGE || removed === 0) break;
    }
    return reaped;
  }

  private async heal(): Promise<number> {
    const before = new Date(this.clock.nowMs() - PENDING_SLOT_GRACE_MS);
    let healed = 0;
    for (let page = 0; page < MAX_HEAL_PAGES; page++) {
      const held: QuotaSlotRecord[] = await this.slots.takenBefore(
        'pendingMessages',
        before,
        this.healAfter,
        PAGE,
      );
      this.healAfter = held.length === PAGE ? held[held.length - 1]!._id : undefined;
      const pending = await this.messages.stillPending(held.map((s) => s.holderId));
      for (const slot of held) {
        if (!pending.has(slot.holderId) && (await this.slots.remove(slot))) healed += 1;
      }
      if (this.healAfter === undefined) break;
    }
    return healed;
  }
}
