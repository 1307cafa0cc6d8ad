import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { Logger } from 'pino';
import { DisabledAccountsStore } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { describeError } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { AttemptRecorder } from './attempt.recorder';
import { DueHeap, Lane, PendingDelivery, Stream } from './delivery-queue';
import { progressByDelivery, toPending } from './delivery-state';
import { CachedEndpoint, EndpointDirectory } from '../endpoints/endpoint.directory';
import { EndpointHealthTracker } from './endpoint-health.tracker';
import { LeaseListener, PartitionLeases } from './partition.leases';
import { parseRetryAfter, recoveryHorizonMs, RetrySchedule } from './retry.schedule';
import { AttemptOutcome, WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { ENDPOINT_LEVEL_ERRORS, WebhookHttpClient, WebhookResult } from './webhook-http.client';
import { WebhookMetrics } from './webhook.metrics';
import { signatureHeader } from './webhook-signature';

/** Statuses that mean "the endpoint as a whole is overloaded or down": the lane backs off. */
const BACK_OFF_STATUSES = new Set([429, 502, 503, 504]);
const LANE_PAUSE_BASE_MS = 500;
const LANE_PAUSE_MAX_MS = 30_000;
/** A retry further away than this does not keep its body in memory (reloaded when due). */
const KEEP_BODY_FOR_RETRY_WITHIN_MS = 60_000;
const RECOVERY_DEBOUNCE_MS = 50;
/** Deliveries an overflowing lane reads back from the store at a time. */
const RELOAD_BATCH = 1000;
const RELOAD_RETRY_MS = 1000;
/** How long a finished delivery is remembered (its attempt record is written within ~50 ms). */
const FINISHED_MEMORY_MS = 10_000;

type PartitionState = 'recovering' | 'active';

/**
 * Sends the deliveries of the partitions this worker holds (PartitionLeases): fresh ones handed
 * over by the fan-out, recovered ones (after a lease was taken), redeliveries and replays.
 * Everything about a delivery's progress is in Mongo (attempt records); this class only keeps
 * the working set in memory: per endpoint a Lane of Streams (see delivery-queue.ts), one timer
 * heap for retries, and per-partition abort controllers so that a lost lease stops its requests.
 */
/** How often the held deliveries of a disabled account look again whether it is enabled. */
const DISABLED_ACCOUNT_RECHECK_MS = 5_000;

@Injectable()
export class DeliveryDispatcher implements LeaseListener, OnModuleInit, BeforeApplicationShutdown {
  private readonly lanes = new Map<string, Lane>();
  private readonly known = new Map<string, PendingDelivery>();
  private readonly heap = new DueHeap();
  private heapTimer?: NodeJS.Timeout;
  private heapTimerAt = Infinity;
  private readonly partitions = new Map<number, PartitionState>();
  private readonly parked = new Map<number, PendingDelivery[]>();
  /** Every delivery id a recovery saw per partition: redelivered fan-out duplicates need no check. */
  private readonly recoveredIds = new Map<number, Set<string>>();
  private readonly aborts = new Map<number, AbortController>();
  private readonly toRecover = new Set<number>();
  private recoveryTimer?: NodeJS.Timeout;
  private recovering?: Promise<void>;
  private inFlightTotal = 0;
  /**
   * Deliveries finished lately (two generations of FINISHED_MEMORY_MS): a read from the store
   * may not show their last attempt yet (AttemptRecorder writes in batches), so reloads and
   * checks must not send them again.
   */
  private finished = new Set<string>();
  private finishedBefore = new Set<string>();
  private finishedRotatedAt = 0;
  private stopping = false;
  private readonly schedule: RetrySchedule;
  private readonly recoveryHorizonMs: number;
  private readonly timeoutMs: number;
  private readonly cap: number;
  private readonly maxHeld: number;
  private readonly logger: Logger;

  constructor(
    config: AppConfig,
    private readonly leases: PartitionLeases,
    private readonly directory: EndpointDirectory,
    private readonly repository: WebhookDeliveryRepository,
    private readonly recorder: AttemptRecorder,
    private readonly http: WebhookHttpClient,
    private readonly health: EndpointHealthTracker,
    private readonly metrics: WebhookMetrics,
    private readonly accounts: DisabledAccountsStore,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.schedule = new RetrySchedule(config.webhooks.retryScale);
    this.recoveryHorizonMs = recoveryHorizonMs(config.webhooks.retryScale);
    this.timeoutMs = config.webhooks.timeoutMs;
    this.cap = config.webhooks.maxInFlightPerEndpoint;
    this.maxHeld = config.webhooks.maxHeldPerEndpoint;
    this.logger = appLogger.child({ context: 'DeliveryDispatcher' });
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
    return [...this.partitions].filter(([, s]) => s === 'active').map(([p]) => p);
  }

  get pendingCount(): number {
    return this.known.size;
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
      if (skip.has(i) || this.known.has(record._id)) return;
      const endpoint = this.directory.get(record.endpointId);
      if (!endpoint) return;
      if (duplicates.has(i)) {
        if (this.partitions.get(record.partition) !== 'active') return; // its recovery will see it
        if (this.recoveredIds.get(record.partition)?.has(record._id)) return;
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
      if (this.partitions.get(record.partition) !== 'active' || this.known.has(record._id)) return;
      if (this.recoveredIds.get(record.partition)?.has(record._id)) return;
      const endpoint = this.directory.get(record.endpointId);
      if (!endpoint) return;
      // A lane at its maximum keeps new deliveries in the store: only once they are written.
      const lane = this.lanes.get(record.endpointId);
      if (lane && (lane.spilledFromId !== undefined || lane.held >= this.maxHeld)) return;
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
        if (p?.terminal || this.known.has(record._id) || this.finishedLately(record._id)) continue;
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
    if (this.stopping || this.known.has(d.id)) return;
    const state = this.partitions.get(d.partition);
    if (state === 'recovering') {
      // Stored before the recovery finished: kept aside and merged after it (deduplicated).
      const list = this.parked.get(d.partition) ?? [];
      list.push(d);
      this.parked.set(d.partition, list);
      return;
    }
    // Not held: the delivery is stored, and the recovery of whoever takes the lease sends it.
    if (state !== 'active') return;
    this.place(d);
  }

  /**
   * Holds a delivery in memory, unless its lane holds its maximum or has deliveries waiting in
   * the store: then it stays there (it is written) and a reload brings it back in order.
   */
  private place(d: PendingDelivery): void {
    const lane = this.lane(d.endpointId);
    if (lane.spilledFromId !== undefined || lane.held >= this.maxHeld) {
      this.spill(lane, d);
      return;
    }
    this.hold(lane, d);
  }

  private hold(lane: Lane, d: PendingDelivery): void {
    this.known.set(d.id, d);
    lane.held++;
    const s = lane.stream(d.streamKey, d.partition);
    s.add(d);
    if (s.head === d) this.arm(s);
    this.pump(lane);
  }

  private spill(lane: Lane, d: PendingDelivery): void {
    if (lane.spilledFromId === undefined || d.id < lane.spilledFromId) lane.spilledFromId = d.id;
    if (lane.reloading) {
      lane.spillsDuringReload++;
      if (lane.newSpillMinId === undefined || d.id < lane.newSpillMinId) lane.newSpillMinId = d.id;
    }
    this.metrics.spilled.inc();
  }

  /** Reads back what a lane left in the store once it has room for it again. */
  private maybeReload(lane: Lane): void {
    if (lane.spilledFromId === undefined || lane.reloading || this.stopping) return;
    if (lane.held > this.maxHeld / 2) return;
    void this.reload(lane);
  }

  private async reload(lane: Lane): Promise<void> {
    lane.reloading = true;
    lane.spillsDuringReload = 0;
    lane.newSpillMinId = undefined;
    const fromId = lane.spilledFromId!;
    let next: string | undefined;
    try {
      const partitions = this.activePartitions();
      const limit = Math.max(1, Math.min(RELOAD_BATCH, this.maxHeld - lane.held));
      const records = partitions.length
        ? await this.repository.endpointDeliveriesFrom(lane.endpointId, partitions, fromId, limit)
        : [];
      const progress = progressByDelivery(await this.repository.attemptsOf(records.map((r) => r._id)));
      const endpoint = this.directory.get(lane.endpointId);
      const now = this.clock.nowMs();
      // Id order is event order; within a chat the fan-out order decides (ordering: chat).
      const inOrder = [...records].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      for (const record of inOrder) {
        if (!endpoint) break; // deleted: nothing to send
        if (lane.held >= this.maxHeld) {
          next = record._id;
          break;
        }
        if (this.known.has(record._id) || this.finishedLately(record._id)) continue;
        if (this.partitions.get(record.partition) !== 'active') continue;
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
      this.logger.warn(
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
      this.metrics.pending.set(this.known.size);
      if (from === undefined) this.forgetLaneIfIdle(lane);
      else if (next !== fromId) this.maybeReload(lane);
    }
  }

  private lane(endpointId: string): Lane {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = new Lane(endpointId, this.cap);
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }

  // --- leases and recovery ---------------------------------------------------------------

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

  lost(partition: number): void {
    this.partitions.delete(partition);
    this.parked.delete(partition);
    this.recoveredIds.delete(partition);
    this.toRecover.delete(partition);
    this.aborts.get(partition)?.abort();
    this.aborts.delete(partition);
    for (const lane of this.lanes.values()) {
      for (const [key, s] of lane.streams) {
        if (s.partition !== partition) continue;
        for (const d of s.queue) if (this.known.delete(d.id)) lane.held--;
        lane.streams.delete(key);
      }
      this.forgetLaneIfIdle(lane);
    }
    this.metrics.pending.set(this.known.size);
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
    const started = this.clock.nowMs();
    try {
      await this.directory.load();
      const since = new Date(started - this.recoveryHorizonMs);
      const [deliveries, attempts] = await Promise.all([
        this.repository.forPartitions(partitions, since),
        this.repository.attemptsForPartitions(partitions, since),
      ]);
      const progress = progressByDelivery(attempts);
      const now = this.clock.nowMs();
      const open: PendingDelivery[] = [];
      const seen = new Map<number, Set<string>>(partitions.map((p) => [p, new Set<string>()]));
      for (const record of deliveries) {
        seen.get(record.partition)?.add(record._id);
        const p = progress.get(record._id);
        if (p?.terminal || this.finishedLately(record._id)) continue;
        const endpoint = this.directory.get(record.endpointId);
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
        this.place(d);
        recovered++;
      }
      for (const partition of partitions) {
        const parked = this.parked.get(partition) ?? [];
        this.parked.delete(partition);
        if (this.partitions.get(partition) === 'active') for (const d of parked) this.enqueue(d);
      }
      this.metrics.pending.set(this.known.size);
      this.logger.info(
        { partitions, scanned: deliveries.length, recovered, ms: this.clock.nowMs() - started },
        'webhook partitions recovered',
      );
    } catch (err) {
      this.logger.error({ err, partitions }, 'recovery failed; retrying');
      for (const p of partitions) if (this.partitions.get(p) === 'recovering') this.toRecover.add(p);
      this.recoveryTimer ??= setTimeout(() => {
        this.recoveryTimer = undefined;
        void this.runRecovery();
      }, 1000);
    }
  }

  // --- scheduling -------------------------------------------------------------------------

  /** Makes a stream's head eligible now, or at its due time. */
  private arm(s: Stream): void {
    const lane = s.lane;
    if (s.inFlight || lane.streams.get(s.key) !== s) return;
    const head = s.head;
    if (!head) {
      lane.streams.delete(s.key);
      if (lane.streams.size === 0 && lane.inFlight === 0) this.forgetLaneIfIdle(lane);
      return;
    }
    const now = this.clock.nowMs();
    if (head.dueAtMs <= now) {
      if (!s.inReady) {
        s.inReady = true;
        lane.ready.push(s);
      }
      return;
    }
    if (s.armedAt === head.dueAtMs) return;
    s.armedAt = head.dueAtMs;
    this.heap.push({ at: head.dueAtMs, stream: s });
    if (head.dueAtMs < this.heapTimerAt) this.setHeapTimer(head.dueAtMs);
  }

  private setHeapTimer(at: number): void {
    clearTimeout(this.heapTimer);
    this.heapTimerAt = at;
    this.heapTimer = setTimeout(() => this.onHeapTimer(), Math.max(0, at - this.clock.nowMs()));
  }

  private onHeapTimer(): void {
    this.heapTimer = undefined;
    this.heapTimerAt = Infinity;
    const now = this.clock.nowMs();
    const touched = new Set<Lane>();
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      const s = top.stream;
      if (s.armedAt !== top.at) continue; // superseded
      s.armedAt = -1;
      this.arm(s);
      touched.add(s.lane);
    }
    for (const lane of touched) this.pump(lane);
    const next = this.heap.peek();
    if (next) this.setHeapTimer(next.at);
  }

  private pump(lane: Lane): void {
    if (this.stopping) return;
    const now = this.clock.nowMs();
    if (lane.pausedUntilMs > now) {
      if (!lane.resumeTimer) {
        lane.resumeTimer = setTimeout(() => {
          lane.resumeTimer = undefined;
          this.pump(lane);
        }, lane.pausedUntilMs - now);
      }
      return;
    }
    while (lane.inFlight < lane.limit && lane.ready.length > 0) {
      const s = lane.ready.shift()!;
      s.inReady = false;
      if (s.inFlight || lane.streams.get(s.key) !== s) continue;
      const head = s.head;
      if (!head) continue;
      if (head.dueAtMs > now) {
        this.arm(s);
        continue;
      }
      if (!this.leases.canSend(s.partition, this.timeoutMs)) {
        head.dueAtMs = now + 200; // lease being renewed or going away: look again shortly
        this.arm(s);
        continue;
      }
      void this.send(lane, s, head);
    }
  }

  // --- sending ----------------------------------------------------------------------------

  private async send(lane: Lane, s: Stream, d: PendingDelivery): Promise<void> {
    lane.inFlight++;
    s.inFlight = true;
    this.inFlightTotal++;
    this.metrics.sendStarted(lane.endpointId);
    const abort = this.aborts.get(s.partition);
    try {
      const endpoint = this.directory.get(d.endpointId);
      if (!endpoint) {
        this.discard(s, d);
        return;
      }
      if (endpoint.disabled) {
        this.finish(s, d, this.cancelRecord(d, `endpoint disabled (${endpoint.disabled.reason})`));
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
      const result = await this.post(endpoint, d, d.body, timestamp, abort?.signal);
      if (abort?.signal.aborted || this.known.get(d.id) !== d) return; // lease lost: the next owner resends
      this.settle(lane, s, d, result, startedMs);
    } catch (err) {
      this.logger.error({ err, deliveryId: d.id }, 'delivery failed unexpectedly; retrying later');
      d.dueAtMs = this.clock.nowMs() + 5000;
    } finally {
      lane.inFlight--;
      s.inFlight = false;
      this.inFlightTotal--;
      this.metrics.sendEnded(lane.endpointId);
      this.arm(s);
      this.pump(lane);
      if (this.stopping && this.inFlightTotal === 0) this.drained?.();
    }
  }

  /**
   * One request. Whatever it cannot even be built from (a stored header node refuses, say)
   * counts as a failed attempt: retried on the schedule and counted towards auto-disable, not
   * retried every few seconds forever without a trace.
   */
  private async post(
    endpoint: CachedEndpoint,
    d: PendingDelivery,
    body: string,
    timestamp: number,
    signal: AbortSignal | undefined,
  ): Promise<WebhookResult> {
    try {
      return await this.http.send({
        url: endpoint.record.url,
        headers: {
          ...endpoint.headers,
          'webhook-id': d.webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(endpoint.keys, d.webhookId, timestamp, body),
        },
        body,
        timeoutMs: this.timeoutMs,
        signal,
      });
    } catch (err) {
      return { kind: 'error', code: 'invalid_request', message: describeError(err), latencyMs: 0 };
    }
  }

  /** Turns a response (or its absence) into the attempt record and the delivery's next step. */
  private settle(lane: Lane, s: Stream, d: PendingDelivery, result: WebhookResult, startedMs: number): void {
    const n = d.attempts + 1;
    const now = this.clock.nowMs();
    const record: WebhookAttemptRecord = {
      _id: `${d.id}~${n}`,
      accountId: d.accountId,
      endpointId: d.endpointId,
      deliveryId: d.id,
      partition: d.partition,
      n,
      at: new Date(startedMs),
      outcome: 'retrying',
      latencyMs: result.latencyMs,
    };
    if (n === 1) record.firstAttemptDelayMs = Math.max(0, startedMs - d.occurredAtMs);
    let ok = false;
    let retryAfterMs: number | undefined;
    let backOff = false;
    let gone = false;
    if (result.kind === 'response') {
      record.statusCode = result.statusCode;
      if (result.body) record.responseBody = result.body;
      ok = result.statusCode >= 200 && result.statusCode < 300;
      gone = result.statusCode === 410;
      retryAfterMs = parseRetryAfter(result.retryAfter, now);
      backOff = BACK_OFF_STATUSES.has(result.statusCode);
      if (result.statusCode >= 300 && result.statusCode < 400)
        record.error = 'redirect not followed (3xx counts as a failure)';
      else if (!ok) record.error = `HTTP ${result.statusCode}`;
    } else {
      record.error = `${result.code}: ${result.message}`;
      backOff = ENDPOINT_LEVEL_ERRORS.has(result.code);
    }

    let outcome: AttemptOutcome;
    if (ok) outcome = 'delivered';
    else if (gone) {
      outcome = 'failed';
      record.error = 'HTTP 410 Gone: the endpoint is disabled';
    } else {
      const delay = this.schedule.delayAfter(n, retryAfterMs);
      if (delay === null) outcome = 'failed';
      else {
        outcome = 'retrying';
        d.dueAtMs = now + delay;
        record.nextAttemptAt = new Date(d.dueAtMs);
      }
    }
    record.outcome = outcome;
    d.attempts = n;

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
    const i = s.queue.indexOf(d);
    if (i >= 0) s.queue.splice(i, 1);
    this.rememberFinished(d.id);
    if (this.known.delete(d.id)) {
      s.lane.held--;
      this.maybeReload(s.lane);
    }
  }

  private rememberFinished(id: string): void {
    const now = this.clock.nowMs();
    if (now - this.finishedRotatedAt > FINISHED_MEMORY_MS) {
      this.finishedBefore = this.finished;
      this.finished = new Set();
      this.finishedRotatedAt = now;
    }
    this.finished.add(id);
  }

  private finishedLately(id: string): boolean {
    return this.finished.has(id) || this.finishedBefore.has(id);
  }

  private cancelRecord(d: PendingDelivery, reason: string): WebhookAttemptRecord {
    return {
      _id: `${d.id}~${d.attempts + 1}`,
      accountId: d.accountId,
      endpointId: d.endpointId,
      deliveryId: d.id,
      partition: d.partition,
      n: d.attempts + 1,
      at: this.clock.now(),
      outcome: 'cancelled',
      error: reason,
    };
  }

  // --- endpoint changes -------------------------------------------------------------------

  /** A disabled endpoint: its waiting deliveries end as cancelled (replay them after re-enabling). */
  cancelEndpoint(endpointId: string, reason: string): void {
    const lane = this.lanes.get(endpointId);
    if (!lane) return;
    for (const s of lane.streams.values()) {
      for (const d of [...s.queue]) {
        if (s.inFlight && d === s.head) continue; // its own send ends it
        this.finish(s, d, this.cancelRecord(d, reason));
      }
    }
    for (const list of this.parked.values()) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.endpointId === endpointId) list.splice(i, 1);
    }
    this.forgetLaneIfIdle(lane);
  }

  /** A deleted endpoint: drop everything (nothing is recorded). */
  dropEndpoint(endpointId: string): void {
    const lane = this.lanes.get(endpointId);
    if (lane) {
      for (const s of lane.streams.values())
        for (const d of s.queue) if (this.known.delete(d.id)) lane.held--;
      lane.streams.clear();
      lane.spilledFromId = undefined; // what waits in the store is dropped with the endpoint
      this.forgetLaneIfIdle(lane);
    }
    this.metrics.forget(endpointId);
  }

  private forgetLaneIfIdle(lane: Lane): void {
    for (const [key, s] of lane.streams) if (s.queue.length === 0 && !s.inFlight) lane.streams.delete(key);
    if (
      lane.streams.size === 0 &&
      lane.inFlight === 0 &&
      lane.spilledFromId === undefined &&
      !lane.reloading
    ) {
      clearTimeout(lane.resumeTimer);
      this.lanes.delete(lane.endpointId);
    }
  }

  // --- shutdown ---------------------------------------------------------------------------

  private drained?: () => void;

  /** Stops starting requests and waits (bounded) for those in flight; their attempts get recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.heapTimer);
    clearTimeout(this.recoveryTimer);
    for (const lane of this.lanes.values()) clearTimeout(lane.resumeTimer);
    if (this.inFlightTotal > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.drained = resolve)),
        this.clock.sleep(Math.min(this.timeoutMs + 1000, 20_000)),
      ]);
    }
    await this.recorder.flush();
  }
}
