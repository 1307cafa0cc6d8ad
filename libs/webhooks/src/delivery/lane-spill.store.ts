import { Logger } from 'pino';
import { Clock } from '@wwb/runtime';
import { EndpointDirectory } from '../endpoints/endpoint.directory';
import { Lane, PendingDelivery } from './delivery-queue';
import { progressByDelivery, toPending } from './delivery-state';
import { PartitionRecoveryRunner } from './partition-recovery.runner';
import { RecentIdsStore } from './recent-ids.store';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookMetrics } from './webhook.metrics';
import { WorkingSetStore } from './working-set.store';

/** Deliveries an overflowing lane reads back from the store at a time. */
const RELOAD_BATCH = 1000;
const RELOAD_RETRY_MS = 1000;

/** Holds a delivery read back from the store (its stream may start sending at once). */
export type HoldDelivery = (lane: Lane, d: PendingDelivery) => void;

export interface LaneSpillDeps {
  directory: EndpointDirectory;
  repository: WebhookDeliveryRepository;
  partitions: PartitionRecoveryRunner;
  held: WorkingSetStore;
  /** Deliveries finished lately: the store may not show their last attempt yet. */
  finished: RecentIdsStore;
  metrics: WebhookMetrics;
  clock: Clock;
  logger: Logger;
  maxHeld: number;
}

/**
 * Bounds the memory of a lane: past `maxHeld` deliveries, new ones stay in the store (they are
 * written before anyone relies on them), and once the lane has drained to half it reads them
 * back in id order, so an endpoint that is slow or down cannot make the worker hold its backlog.
 */
export class LaneSpillStore {
  private stopped = false;

  constructor(
    private readonly deps: LaneSpillDeps,
    private readonly hold: HoldDelivery,
  ) {}

  /**
   * Whether a new delivery must stay in the store: the lane holds its maximum, or has deliveries
   * waiting there (holding a later one first would break their order).
   */
  isFull(lane: Lane): boolean {
    return lane.spilledFromId !== undefined || lane.held >= this.deps.maxHeld;
  }

  /** Leaves a delivery in the store; a reload brings it back in order. */
  spill(lane: Lane, d: PendingDelivery): void {
    if (lane.spilledFromId === undefined || d.id < lane.spilledFromId) lane.spilledFromId = d.id;
    if (lane.reloading) {
      lane.spillsDuringReload++;
      if (lane.newSpillMinId === undefined || d.id < lane.newSpillMinId) lane.newSpillMinId = d.id;
    }
    this.deps.metrics.spilled.inc();
  }

  /** Reads back what a lane left in the store once it has room for it again. */
  maybeReload(lane: Lane): void {
    if (lane.spilledFromId === undefined || lane.reloading || this.stopped) return;
    if (lane.held > this.deps.maxHeld / 2) return;
    void this.reload(lane);
  }

  stop(): void {
    this.stopped = true;
  }

  private async reload(lane: Lane): Promise<void> {
    const { repository, directory, partitions, held, maxHeld } = this.deps;
    lane.reloading = true;
    lane.spillsDuringReload = 0;
    lane.newSpillMinId = undefined;
    const fromId = lane.spilledFromId!;
    let next: string | undefined;
    try {
      const active = partitions.activePartitions();
      const limit = Math.max(1, Math.min(RELOAD_BATCH, maxHeld - lane.held));
      const records = active.length
        ? await repository.endpointDeliveriesFrom(lane.endpointId, active, fromId, limit)
        : [];
      const progress = progressByDelivery(await repository.attemptsOf(records.map((r) => r._id)));
      const endpoint = directory.get(lane.endpointId);
      const now = this.deps.clock.nowMs();
      // Id order is event order; within a chat the fan-out order decides (ordering: chat).
      const inOrder = [...records].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      for (const record of inOrder) {
        if (!endpoint) break; // deleted: nothing to send
        if (lane.held >= maxHeld) {
          next = record._id;
          break;
        }
        if (held.has(record._id) || this.deps.finished.has(record._id)) continue;
        if (!partitions.isActive(record.partition)) continue;
        const p = progress.get(record._id);
        if (p?.terminal) continue;
        const d = toPending(record, endpoint.record.ordering, now);
        d.attempts = p?.attempts ?? 0;
        d.dueAtMs = p?.last?.nextAttemptAt?.getTime() ?? now;
        this.hold(lane, d);
      }
      // A full batch: go on after its last id ('\0' sorts right after it).
      if (next === undefined && endpoint && records.length === limit)
        next = `${records[records.length - 1]!._id}\0`;
    } catch (err) {
      this.deps.logger.warn(
        { err, endpointId: lane.endpointId },
        'could not read back waiting deliveries; retrying',
      );
      next = fromId;
      setTimeout(() => this.maybeReload(lane), RELOAD_RETRY_MS).unref();
    } finally {
      const late = lane.spillsDuringReload > 0 ? lane.newSpillMinId : undefined;
      const from = [next, late].filter((x): x is string => x !== undefined).sort()[0];
      lane.spilledFromId = from;
      lane.reloading = false;
      this.deps.metrics.pending.set(held.size);
      if (from === undefined) held.forgetLaneIfIdle(lane);
      else if (next !== fromId) this.maybeReload(lane);
    }
  }
}
