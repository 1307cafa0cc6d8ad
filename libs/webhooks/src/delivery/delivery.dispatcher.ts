import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { Logger } from 'pino';
import { DisabledAccountsStore } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { AttemptRecorder } from './attempt.recorder';
import { Lane, PendingDelivery, Stream } from './delivery-queue';
import { progressByDelivery, toPending } from './delivery-state';
import { EndpointDirectory } from '../endpoints/endpoint.directory';
import { EndpointHealthTracker } from './endpoint-health.tracker';
import { LanePumpRunner } from './lane-pump.runner';
import { LaneSpillStore } from './lane-spill.store';
import { LeaseListener, PartitionLeases } from './partition.leases';
import { PartitionRecoveryRunner } from './partition-recovery.runner';
import { RecentIdsStore } from './recent-ids.store';
import { recoveryHorizonMs, RetrySchedule } from './retry.schedule';
import { cancelledAttempt, judgeAttempt } from './webhook-attempt.mapper';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookHttpClient, WebhookResult } from './webhook-http.client';
import { SignedWebhookClient } from './signed-webhook.client';
import { WebhookMetrics } from './webhook.metrics';
import { WorkingSetStore } from './working-set.store';

const LANE_PAUSE_BASE_MS = 500;
const LANE_PAUSE_MAX_MS = 30_000;
/** A retry further away than this does not keep its body in memory (reloaded when due). */
const KEEP_BODY_FOR_RETRY_WITHIN_MS = 60_000;
/** How long a finished delivery is remembered (its attempt record is written within ~50 ms). */
const FINISHED_MEMORY_MS = 10_000;
/** How often the held deliveries of a disabled account look again whether it is enabled. */
const DISABLED_ACCOUNT_RECHECK_MS = 5_000;
const UNEXPECTED_FAILURE_RETRY_MS = 5_000;

/**
 * Sends the deliveries of the partitions this worker holds (PartitionLeases): fresh ones handed
 * over by the fan-out, recovered ones (after a lease was taken), redeliveries and replays.
 * Everything about a delivery's progress is in Mongo (attempt records); this class only keeps
 * the working set in memory (WorkingSetStore). Its helpers: PartitionRecoveryRunner (partition
 * states, recovery, abort signals), LanePumpRunner (when heads go out), LaneSpillStore (lanes
 * past their maximum).
 */
@Injectable()
export class DeliveryDispatcher implements LeaseListener, OnModuleInit, BeforeApplicationShutdown {
  private readonly held: WorkingSetStore;
  private inFlightTotal = 0;
  /**
   * Deliveries finished lately: a read from the store may not show their last attempt yet
   * (AttemptRecorder writes in batches), so reloads and checks must not send them again.
   */
  private readonly finished = new RecentIdsStore(FINISHED_MEMORY_MS);
  private readonly recovery: PartitionRecoveryRunner;
  private readonly pumps: LanePumpRunner;
  private readonly spills: LaneSpillStore;
  private stopping = false;
  private drained?: () => void;
  private readonly schedule: RetrySchedule;
  private readonly timeoutMs: number;
  private readonly client: SignedWebhookClient;
  private readonly logger: Logger;

  constructor(
    config: AppConfig,
    private readonly leases: PartitionLeases,
    private readonly directory: EndpointDirectory,
    private readonly repository: WebhookDeliveryRepository,
    private readonly recorder: AttemptRecorder,
    http: WebhookHttpClient,
    private readonly health: EndpointHealthTracker,
    private readonly metrics: WebhookMetrics,
    private readonly accounts: DisabledAccountsStore,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.schedule = new RetrySchedule(config.webhooks.retryScale);
    this.timeoutMs = config.webhooks.timeoutMs;
    this.client = new SignedWebhookClient(http, this.timeoutMs);
    this.logger = appLogger.child({ context: 'DeliveryDispatcher' });
    this.held = new WorkingSetStore(config.webhooks.maxInFlightPerEndpoint);
    // The helpers log as the dispatcher: one context for everything about sending.
    const shared = { directory, repository, metrics, clock, logger: this.logger };
    const memory = { finished: this.finished, held: this.held };
    this.recovery = new PartitionRecoveryRunner(
      { ...shared, ...memory, horizonMs: recoveryHorizonMs(config.webhooks.retryScale) },
      { place: (d) => this.place(d), enqueue: (d) => this.enqueue(d) },
    );
    this.pumps = new LanePumpRunner(
      leases,
      this.held,
      clock,
      this.timeoutMs,
      (lane, s, d) => void this.send(lane, s, d),
    );
    this.spills = new LaneSpillStore(
      { ...shared, ...memory, partitions: this.recovery, maxHeld: config.webhooks.maxHeldPerEndpoint },
      (lane, d) => this.hold(lane, d),
    );
  }

  /** Before any lease is taken (leases follow the consumer's assignment, at bootstrap). */
  onModuleInit(): void {
    this.leases.setListener(this);
    this.directory.onChange((change) => {
      if (change.kind === 'removed') this.dropEndpoint(change.endpointId);
      else this.cancelEndpoint(change.endpointId, `endpoint disabled (${change.record.reason})`);
    });
  }

  /** Partitions whose deliveries this worker sends now. */
  activePartitions(): number[] {
    return this.recovery.activePartitions();
  }

  get pendingCount(): number {
    return this.held.size;
  }

  // --- intake -------------------------------------------------------------------------------

  /**
   * Deliveries just stored by the fan-out (or a replay). `duplicates`: indexes of records that
   * were stored before (work redone after a crash): those are sent only if still unfinished.
   */
  accept(
    records: WebhookDeliveryRecord[],
    duplicates: ReadonlySet<number> = new Set(),
    skip: ReadonlySet<number> = new Set(),
  ): void {
    const now = this.clock.nowMs();
    const toVerify: WebhookDeliveryRecord[] = [];
    records.forEach((record, i) => {
      if (skip.has(i) || this.held.has(record._id)) return;
      const endpoint = this.directory.get(record.endpointId);
      if (!endpoint) return;
      if (duplicates.has(i)) {
        if (!this.recovery.isActive(record.partition)) return; // its recovery will see it
        if (this.recovery.wasRecovered(record.partition, record._id)) return;
        toVerify.push(record);
        return;
      }
      this.enqueue(toPending(record, endpoint.record.ordering, now));
    });
    if (toVerify.length) void this.verify(toVerify);
  }

  /**
   * Fresh deliveries of an active partition, handed over while their records are being stored
   * (the offset is committed only after that), so that the first attempt does not wait for the
   * write. Ids a recovery saw are left out (they are redone work, checked after the write).
   * Returns the indexes taken.
   */
  acceptEarly(records: WebhookDeliveryRecord[]): Set<number> {
    const taken = new Set<number>();
    const now = this.clock.nowMs();
    records.forEach((record, i) => {
      if (!this.recovery.isActive(record.partition) || this.held.has(record._id)) return;
      if (this.recovery.wasRecovered(record.partition, record._id)) return;
      const endpoint = this.directory.get(record.endpointId);
      if (!endpoint) return;
      // A lane at its maximum keeps new deliveries in the store: only once they are written.
      const lane = this.held.laneOf(record.endpointId);
      if (lane && this.spills.isFull(lane)) return;
      this.enqueue(toPending(record, endpoint.record.ordering, now));
      taken.add(i);
    });
    return taken;
  }

  /** A redelivered duplicate nobody here knows: send it if its attempts say it is unfinished. */
  private async verify(records: WebhookDeliveryRecord[]): Promise<void> {
    try {
      const progress = progressByDelivery(await this.repository.attemptsOf(records.map((r) => r._id)));
      const now = this.clock.nowMs();
      for (const record of records) {
        const p = progress.get(record._id);
        if (p?.terminal || this.held.has(record._id) || this.finished.has(record._id)) continue;
        const endpoint = this.directory.get(record.endpointId);
        if (!endpoint) continue;
        const d = toPending(record, endpoint.record.ordering, now);
        d.attempts = p?.attempts ?? 0;
        d.dueAtMs = p?.last?.nextAttemptAt?.getTime() ?? now;
        this.enqueue(d);
      }
    } catch (err) {
      this.logger.warn(
        { err, deliveries: records.length },
        'could not check redelivered deliveries; the next owner will',
      );
    }
  }

  private enqueue(d: PendingDelivery): void {
    if (this.stopping || this.held.has(d.id)) return;
    const state = this.recovery.state(d.partition);
    if (state === 'recovering') {
      // Stored before the recovery finished: kept aside and merged after it (deduplicated).
      this.recovery.park(d);
      return;
    }
    // Not held: the delivery is stored, and the recovery of whoever takes the lease sends it.
    if (state !== 'active') return;
    this.place(d);
  }

  /** Holds a delivery in memory, unless its lane is full: then it stays in the store. */
  private place(d: PendingDelivery): void {
    const lane = this.held.lane(d.endpointId);
    if (this.spills.isFull(lane)) {
      this.spills.spill(lane, d);
      return;
    }
    this.hold(lane, d);
  }

  private hold(lane: Lane, d: PendingDelivery): void {
    const s = this.held.add(lane, d);
    if (s.head === d) this.pumps.arm(s);
    this.pumps.pump(lane);
  }

  // --- leases -----------------------------------------------------------------------------

  acquired(partition: number): void {
    this.recovery.acquired(partition);
  }

  lost(partition: number): void {
    this.recovery.lost(partition);
    this.held.dropPartition(partition);
    this.metrics.pending.set(this.held.size);
  }

  // --- sending ----------------------------------------------------------------------------

  private async send(lane: Lane, s: Stream, d: PendingDelivery): Promise<void> {
    lane.inFlight++;
    s.inFlight = true;
    this.inFlightTotal++;
    this.metrics.sendStarted(lane.endpointId);
    const signal = this.recovery.signal(s.partition);
    try {
      const endpoint = this.directory.get(d.endpointId);
      if (!endpoint) {
        this.discard(s, d);
        return;
      }
      if (endpoint.disabled) {
        this.finish(
          s,
          d,
          cancelledAttempt(d, this.clock.now(), `endpoint disabled (${endpoint.disabled.reason})`),
        );
        return;
      }
      if (this.accounts.isDisabled(endpoint.record.accountId)) {
        // Held, not attempted: the account's deliveries go out once it is enabled again.
        d.dueAtMs = this.clock.nowMs() + DISABLED_ACCOUNT_RECHECK_MS;
        return;
      }
      if (d.body === undefined) {
        const [record] = await this.repository.deliveriesByIds([d.id]);
        if (!record) {
          this.discard(s, d);
          return;
        }
        d.body = record.body;
      }
      const startedMs = this.clock.nowMs();
      const timestamp = Math.floor(startedMs / 1000);
      const result = await this.client.send(endpoint, d, d.body, timestamp, signal);
      if (signal?.aborted || !this.held.holds(d)) return; // lease lost: the next owner resends
      this.settle(lane, s, d, result, startedMs);
    } catch (err) {
      this.logger.error({ err, deliveryId: d.id }, 'delivery failed unexpectedly; retrying later');
      d.dueAtMs = this.clock.nowMs() + UNEXPECTED_FAILURE_RETRY_MS;
    } finally {
      lane.inFlight--;
      s.inFlight = false;
      this.inFlightTotal--;
      this.metrics.sendEnded(lane.endpointId);
      this.pumps.arm(s);
      this.pumps.pump(lane);
      if (this.stopping && this.inFlightTotal === 0) this.drained?.();
    }
  }

  /** Records the attempt and moves the delivery, its lane and its endpoint's health on. */
  private settle(lane: Lane, s: Stream, d: PendingDelivery, result: WebhookResult, startedMs: number): void {
    const now = this.clock.nowMs();
    const { record, ok, gone, backOff, retryAfterMs, nextDueAtMs } = judgeAttempt(
      d,
      result,
      startedMs,
      now,
      this.schedule,
    );
    if (nextDueAtMs !== undefined) d.dueAtMs = nextDueAtMs;
    d.attempts = record.n;

    if (ok) {
      lane.succeeded();
      this.health.success(d.endpointId, d.accountId, now);
    } else {
      if (backOff) lane.backOff(now, retryAfterMs, LANE_PAUSE_BASE_MS, LANE_PAUSE_MAX_MS);
      this.health.failure(d.endpointId, d.accountId, now, record.statusCode, record.error);
    }
    this.metrics.attempt(d.endpointId, ok, record.firstAttemptDelayMs, ok ? now - d.occurredAtMs : undefined);
    this.finish(s, d, record);
    if (gone) {
      void this.health
        .disableNow(d.endpointId, d.accountId, 'gone', { lastStatusCode: 410 })
        .catch((err: unknown) =>
          this.logger.error({ err, endpointId: d.endpointId }, 'could not disable endpoint'),
        );
    }
  }

  /** Records the attempt and moves the stream on if the delivery is finished. */
  private finish(s: Stream, d: PendingDelivery, record: WebhookAttemptRecord): void {
    this.recorder.add(record);
    if (record.outcome === 'retrying') {
      if (d.dueAtMs - this.clock.nowMs() > KEEP_BODY_FOR_RETRY_WITHIN_MS) d.body = undefined;
      return;
    }
    this.discard(s, d);
  }

  private discard(s: Stream, d: PendingDelivery): void {
    this.finished.add(d.id, this.clock.nowMs());
    if (this.held.remove(s, d)) this.spills.maybeReload(s.lane);
  }

  // --- endpoint changes -------------------------------------------------------------------

  /** A disabled endpoint: its waiting deliveries end as cancelled (replay them after re-enabling). */
  cancelEndpoint(endpointId: string, reason: string): void {
    const lane = this.held.laneOf(endpointId);
    if (!lane) return;
    for (const s of lane.streams.values()) {
      for (const d of [...s.queue]) {
        if (s.inFlight && d === s.head) continue; // its own send ends it
        this.finish(s, d, cancelledAttempt(d, this.clock.now(), reason));
      }
    }
    this.recovery.unparkEndpoint(endpointId);
    this.held.forgetLaneIfIdle(lane);
  }

  /** A deleted endpoint: drop everything (nothing is recorded). */
  dropEndpoint(endpointId: string): void {
    this.held.dropEndpoint(endpointId);
    this.metrics.forget(endpointId);
  }

  // --- shutdown ---------------------------------------------------------------------------

  /** Stops starting requests and waits (bounded) for those in flight; their attempts get recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.spills.stop();
    this.pumps.stop();
    this.recovery.stop();
    if (this.inFlightTotal > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.drained = resolve)),
        this.clock.sleep(Math.min(this.timeoutMs + 1000, 20_000)),
      ]);
    }
    await this.recorder.flush();
  }
}
