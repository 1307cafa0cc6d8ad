import { setMaxListeners } from 'node:events';
import { Logger } from 'pino';
import { Clock } from '@wwb/runtime';
import { EndpointDirectory } from '../endpoints/endpoint.directory';
import { PendingDelivery } from './delivery-queue';
import { progressByDelivery, toPending } from './delivery-state';
import { RecentIdsStore } from './recent-ids.store';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookMetrics } from './webhook.metrics';
import { WorkingSetStore } from './working-set.store';

/** Leases often come in bursts (a rebalance): one recovery reads them all. */
const RECOVERY_DEBOUNCE_MS = 50;
const RECOVERY_RETRY_MS = 1000;

export type PartitionState = 'recovering' | 'active';

/** Where the deliveries a recovery found go (the dispatcher's working set). */
export interface RecoveryTarget {
  /** A recovered delivery, its progress read from the store. */
  place(d: PendingDelivery): void;
  /** A delivery stored while its partition was recovering (it may be known by now). */
  enqueue(d: PendingDelivery): void;
}

export interface PartitionRecoveryDeps {
  directory: EndpointDirectory;
  repository: WebhookDeliveryRepository;
  /** Deliveries finished lately: the store may not show their last attempt yet. */
  finished: RecentIdsStore;
  held: WorkingSetStore;
  metrics: WebhookMetrics;
  clock: Clock;
  logger: Logger;
  horizonMs: number;
}

/**
 * The state of each partition whose lease this worker holds. A partition taken over is
 * `recovering` until its unfinished deliveries have been read from Mongo, then `active`;
 * deliveries stored meanwhile are parked and merged after the recovery (deduplicated). Each
 * held partition has an abort signal so that losing the lease stops its requests at once.
 */
export class PartitionRecoveryRunner {
  private readonly partitions = new Map<number, PartitionState>();
  private readonly parked = new Map<number, PendingDelivery[]>();
  /** Every delivery id a recovery saw per partition: redelivered fan-out duplicates need no check. */
  private readonly recoveredIds = new Map<number, Set<string>>();
  private readonly aborts = new Map<number, AbortController>();
  private readonly toRecover = new Set<number>();
  private recoveryTimer?: NodeJS.Timeout;
  private recovering?: Promise<void>;

  constructor(
    private readonly deps: PartitionRecoveryDeps,
    private readonly target: RecoveryTarget,
  ) {}

  state(partition: number): PartitionState | undefined {
    return this.partitions.get(partition);
  }

  isActive(partition: number): boolean {
    return this.partitions.get(partition) === 'active';
  }

  activePartitions(): number[] {
    return [...this.partitions].filter(([, s]) => s === 'active').map(([p]) => p);
  }

  /** Whether the recovery of the delivery's partition saw it (it is in the working set or finished). */
  wasRecovered(partition: number, deliveryId: string): boolean {
    return this.recoveredIds.get(partition)?.has(deliveryId) ?? false;
  }

  /** Aborted when the partition's lease is lost. */
  signal(partition: number): AbortSignal | undefined {
    return this.aborts.get(partition)?.signal;
  }

  /** Keeps a delivery of a recovering partition until its recovery is done. */
  park(d: PendingDelivery): void {
    const list = this.parked.get(d.partition) ?? [];
    list.push(d);
    this.parked.set(d.partition, list);
  }

  /** Forgets the parked deliveries of an endpoint (it was disabled). */
  unparkEndpoint(endpointId: string): void {
    for (const list of this.parked.values()) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.endpointId === endpointId) list.splice(i, 1);
    }
  }

  acquired(partition: number): void {
    this.partitions.set(partition, 'recovering');
    const abort = new AbortController();
    setMaxListeners(0, abort.signal); // one listener per request in flight
    this.aborts.set(partition, abort);
    this.toRecover.add(partition);
    this.recoveryTimer ??= setTimeout(() => {
      this.recoveryTimer = undefined;
      void this.runRecovery();
    }, RECOVERY_DEBOUNCE_MS);
  }

  /** Forgets the partition and aborts its requests (the working set drops its deliveries). */
  lost(partition: number): void {
    this.partitions.delete(partition);
    this.parked.delete(partition);
    this.recoveredIds.delete(partition);
    this.toRecover.delete(partition);
    this.aborts.get(partition)?.abort();
    this.aborts.delete(partition);
  }

  stop(): void {
    clearTimeout(this.recoveryTimer);
  }

  private async runRecovery(): Promise<void> {
    while (this.recovering) await this.recovering;
    const partitions = [...this.toRecover];
    this.toRecover.clear();
    if (partitions.length === 0) return;
    this.recovering = this.recover(partitions).finally(() => (this.recovering = undefined));
    await this.recovering;
  }

  /** Loads the unfinished deliveries of newly held partitions from Mongo, then starts sending. */
  private async recover(partitions: number[]): Promise<void> {
    const { directory, repository, clock, logger } = this.deps;
    const started = clock.nowMs();
    try {
      await directory.load();
      const since = new Date(started - this.deps.horizonMs);
      const [deliveries, attempts] = await Promise.all([
        repository.forPartitions(partitions, since),
        repository.attemptsForPartitions(partitions, since),
      ]);
      const progress = progressByDelivery(attempts);
      const now = clock.nowMs();
      const open: PendingDelivery[] = [];
      const seen = new Map<number, Set<string>>(partitions.map((p) => [p, new Set<string>()]));
      for (const record of deliveries) {
        seen.get(record.partition)?.add(record._id);
        const p = progress.get(record._id);
        if (p?.terminal || this.deps.finished.has(record._id)) continue;
        const endpoint = directory.get(record.endpointId);
        if (!endpoint) continue;
        const d = toPending(record, endpoint.record.ordering, now);
        d.attempts = p?.attempts ?? 0;
        d.dueAtMs = p?.last?.nextAttemptAt?.getTime() ?? now;
        open.push(d);
      }
      open.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      for (const partition of partitions) {
        if (this.partitions.get(partition) !== 'recovering') continue; // lost meanwhile
        this.partitions.set(partition, 'active');
        this.recoveredIds.set(partition, seen.get(partition)!);
      }
      let recovered = 0;
      for (const d of open) {
        if (this.partitions.get(d.partition) !== 'active') continue;
        this.target.place(d);
        recovered++;
      }
      for (const partition of partitions) {
        const parked = this.parked.get(partition) ?? [];
        this.parked.delete(partition);
        if (this.partitions.get(partition) === 'active') for (const d of parked) this.target.enqueue(d);
      }
      this.deps.metrics.pending.set(this.deps.held.size);
      logger.info(
        { partitions, scanned: deliveries.length, recovered, ms: clock.nowMs() - started },
        'webhook partitions recovered',
      );
    } catch (err) {
      logger.error({ err, partitions }, 'recovery failed; retrying');
      for (const p of partitions) if (this.partitions.get(p) === 'recovering') this.toRecover.add(p);
      this.recoveryTimer ??= setTimeout(() => {
        this.recoveryTimer = undefined;
        void this.runRecovery();
      }, RECOVERY_RETRY_MS);
    }
  }
}
