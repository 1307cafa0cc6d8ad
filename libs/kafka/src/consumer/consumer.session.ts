import { Batch, Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Logger } from 'pino';
import { Counter } from 'prom-client';
import { EventEnvelope, EventValidator } from '@wwb/contracts';
import { MetricsRegistry } from '@wwb/observability';
import { Clock, RequestContext } from '@wwb/runtime';
import { ConsumerHandle, EventHandler, RunOptions } from './consumer.types';
import { DeadLetterProducer } from './dead-letter.producer';
import { DeferredCommits, DeferredFailure } from './deferred-commits';
import { EVENT_HEADERS, headerValue } from '../event-message.mapper';
import { ChunkRunner, Deferred } from './chunk.runner';
import { LaneRunner } from './lane.runner';
import { MessageContext } from './message.context';
import { Outcome, RetryRunner } from './retry.runner';
import { RetryPolicy } from './retry.policy';

export interface ConsumerSessionDeps {
  consumer: Consumer;
  validator: EventValidator;
  deadLetters: DeadLetterProducer;
  metrics: MetricsRegistry;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  shutdownTimeoutMs: number;
}

const HOUSEKEEPING_EVERY_MS = 250;
const DEFAULT_MAX_LANED = 1000;

/**
 * One running kafkajs consumer (one group, one topic). See ConsumerRunner for the contract.
 *
 * Offsets: kafkajs runs with autoCommit on but eachBatchAutoResolve off, so only offsets this
 * class resolved (= handled or dead-lettered messages, in partition order) are ever committed:
 * kafkajs commits them at the end of each batch, when a rebalance starts, when eachBatch throws,
 * and every `commitIntervalMs` through commitOffsetsIfNecessary(). The next fetch of a partition
 * starts after its last resolved offset, so a message left unresolved (stop, rebalance) is
 * fetched again, by this member or by the next owner of the partition.
 *
 * With `deferredCommits`, kafkajs runs with autoCommit off: offsets are still resolved at once
 * (that is where kafkajs fetches next), but only DeferredCommits decides what is committed (every
 * commitIntervalMs, and when stopping): the end of the leading run of durable chunks.
 */
export class ConsumerSession implements ConsumerHandle {
  readonly groupId: string;
  readonly topic: string;
  readonly joined: Promise<void>;

  private readonly abort = new AbortController();
  private stopping = false;
  private stopPromise?: Promise<void>;
  private readonly counters: {
    ok: Counter.Internal;
    retried: Counter.Internal;
    deadLettered: Counter.Internal;
  };
  private pendingOk = 0;
  private assigned: readonly number[] = [];
  private readonly deferred?: DeferredCommits;
  /** `laneOf` mode: the lanes events wait in. */
  private readonly lanes?: LaneRunner;
  private commitTimer?: NodeJS.Timeout;
  private committing?: Promise<void>;
  private activeBatches = 0;
  private batchesIdle?: () => void;
  private readonly failures = new Map<number, number>();
  private readonly retries: RetryRunner;
  private readonly chunks: ChunkRunner;

  constructor(
    private readonly deps: ConsumerSessionDeps,
    private readonly options: RunOptions,
    topicName: string,
    private readonly onStopped: (session: ConsumerSession) => void,
  ) {
    this.groupId = options.groupId;
    this.topic = topicName;
    const labels = { group: this.groupId, topic: this.topic };
    this.counters = {
      ok: deps.metrics.consumedTotal.labels({ ...labels, outcome: 'ok' }),
      retried: deps.metrics.consumedTotal.labels({ ...labels, outcome: 'retried' }),
      deadLettered: deps.metrics.consumedTotal.labels({ ...labels, outcome: 'dead_lettered' }),
    };
    this.retries = new RetryRunner(
      deps,
      {
        groupId: this.groupId,
        signal: this.abort.signal,
        stopping: () => this.stopping,
        canContinue: (payload) => this.canContinue(payload),
        onOk: () => this.pendingOk++,
      },
      this.counters,
    );
    if (options.handler && options.laneOf) {
      const host = { signal: this.abort.signal, canContinue: (p: EachBatchPayload) => this.canContinue(p) };
      const max = options.maxLaned ?? DEFAULT_MAX_LANED;
      this.lanes = new LaneRunner(host, this.retries, deps.clock, options.laneOf, max);
    }
    if (this.lanes || ('deferredCommits' in options && options.deferredCommits))
      this.deferred = new DeferredCommits((f) => this.onDeferredFailure(f));
    this.chunks = new ChunkRunner(
      deps,
      {
        groupId: this.groupId,
        signal: this.abort.signal,
        canContinue: (payload) => this.canContinue(payload),
        housekeeper: (payload) => this.housekeeper(payload),
        resolved: (payload, first, last, deferred) => this.resolved(payload, first, last, deferred),
        onOk: (n) => (this.pendingOk += n),
      },
      this.retries,
      'maxBatchSize' in options && options.maxBatchSize ? options.maxBatchSize : 500,
      'deferredCommits' in options && !!options.deferredCommits,
    );

    const { consumer } = deps;
    this.joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        deps.logger.info({ memberAssignment: e.payload.memberAssignment }, 'consumer joined its group');
        // A new generation fetches from the committed offsets: older bookkeeping no longer applies.
        this.deferred?.reset();
        this.setAssignment(e.payload.memberAssignment[this.topic] ?? []);
        resolve();
      });
    });
    consumer.on(consumer.events.CRASH, (e) => {
      deps.logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
      if (!e.payload.restart) this.setAssignment([]);
    });
  }

  get assignedPartitions(): readonly number[] {
    return this.assigned;
  }

  /** Records the partitions owned now and tells `onAssignment` (see RunOptions). */
  private setAssignment(partitions: readonly number[]): void {
    const sorted = [...partitions].sort((a, b) => a - b);
    if (sorted.length === 0 && this.assigned.length === 0) return;
    this.assigned = sorted;
    try {
      this.options.onAssignment?.([...sorted]);
    } catch (err) {
      this.deps.logger.error({ err }, 'onAssignment listener failed');
    }
  }

  async start(): Promise<void> {
    const { consumer } = this.deps;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: this.options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: !this.deferred,
        autoCommitInterval: this.options.commitIntervalMs ?? 1000,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.concurrency ?? 1,
        eachBatch: (payload) => this.eachBatch(payload),
      });
      if (this.deferred) {
        this.commitTimer = setInterval(
          () => void this.commitDeferred(),
          this.options.commitIntervalMs ?? 1000,
        );
        this.commitTimer.unref();
      }
    } catch (err) {
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  private async doStop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.deferred) await this.settleDeferred();
      await Promise.race([
        this.deps.consumer.disconnect(),
        new Promise<void>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`still busy after ${this.deps.shutdownTimeoutMs} ms`)),
            this.deps.shutdownTimeoutMs,
          );
        }),
      ]);
      this.deps.logger.info('consumer stopped');
    } catch (err) {
      this.deps.logger.warn({ err }, 'consumer did not stop cleanly; unhandled messages will be redelivered');
    } finally {
      clearTimeout(timer);
      clearInterval(this.commitTimer);
      this.deferred?.reset();
      this.setAssignment([]);
      this.onStopped(this);
    }
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    let lastDone: string | undefined;
    this.activeBatches++;
    try {
      lastDone = this.options.handlerBatch
        ? await this.chunks.run(payload, this.options.handlerBatch)
        : await this.processEach(payload, this.options.handler);
    } finally {
      this.flushCounters();
      this.reportLag(batch, lastDone);
      if (this.stopping && !this.deferred) await this.commitNow(payload);
      if (--this.activeBatches === 0) this.batchesIdle?.();
    }
  }

  /** deferredCommits: a chunk is handled; its offsets become committable once `deferred` is durable. */
  private resolved(payload: EachBatchPayload, first: string, last: string, deferred: Deferred): void {
    payload.resolveOffset(last);
    const d = this.deferred;
    if (!d) return;
    const partition = payload.batch.partition;
    if (deferred.length === 0) d.done(partition, first, last);
    else d.defer(partition, first, last, deferred.length === 1 ? deferred[0]! : Promise.all(deferred));
  }

  /** deferredCommits: a chunk's durable work failed. Re-read the partition from it, after a pause. */
  private onDeferredFailure(f: DeferredFailure): void {
    const failed = (this.failures.get(f.partition) ?? 0) + 1;
    this.failures.set(f.partition, failed);
    const delayMs = this.deps.retry.delayMs(failed);
    this.deps.logger.warn(
      { err: f.error, partition: f.partition, offset: f.offset, delayMs },
      'deferred work failed; reading the partition again from its first unfinished chunk',
    );
    // Stopping, or the partition moved: its next reader starts from the committed offset anyway.
    if (this.stopping || !this.assigned.includes(f.partition)) return;
    const { consumer } = this.deps;
    const tp = [{ topic: this.topic, partitions: [f.partition] }];
    try {
      consumer.pause(tp);
      consumer.seek({ topic: this.topic, partition: f.partition, offset: f.offset });
    } catch (err) {
      this.deps.logger.warn({ err, partition: f.partition }, 'could not rewind the partition');
    }
    setTimeout(() => {
      try {
        consumer.resume(tp);
      } catch (err) {
        this.deps.logger.warn({ err, partition: f.partition }, 'could not resume the partition');
      }
    }, delayMs).unref();
  }

  /** deferredCommits: commits, per partition, the end of the leading run of durable chunks. */
  private commitDeferred(): Promise<void> {
    this.committing ??= (async () => {
      const offsets = this.deferred?.takeCommittable() ?? [];
      if (offsets.length === 0) return;
      try {
        await this.deps.consumer.commitOffsets(offsets.map((o) => ({ topic: this.topic, ...o })));
        for (const o of offsets) this.failures.delete(o.partition);
      } catch (err) {
        this.deferred?.commitFailed(offsets);
        this.deps.logger.warn({ err }, 'could not commit offsets; trying again');
      }
    })().finally(() => (this.committing = undefined));
    return this.committing;
  }

  /** Stopping with deferredCommits: lets running batches end, waits (bounded) for their durable work, commits. */
  private async settleDeferred(): Promise<void> {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.deps.shutdownTimeoutMs).unref());
    if (this.activeBatches > 0) {
      await Promise.race([new Promise<void>((resolve) => (this.batchesIdle = resolve)), deadline]);
    }
    await Promise.race([this.deferred!.idle(), deadline]);
    while (this.committing) await this.committing;
    await this.commitDeferred();
  }

  /** Handles the messages of a batch one by one. Returns the offset of the last one done. */
  private async processEach(payload: EachBatchPayload, handler: EventHandler): Promise<string | undefined> {
    const { batch } = payload;
    const housekeeping = this.housekeeper(payload);
    let lastDone: string | undefined;
    for (const message of batch.messages) {
      if (!this.canContinue(payload)) break;
      const parsed = this.deps.validator.parse(message.value);
      if (parsed.ok && this.lanes) {
        const queued = await this.lanes.enqueue(payload, message, parsed.event, (e, attempt) =>
          this.invokeSingle(handler, e, message, payload, attempt),
        );
        if (!queued) break;
        this.resolved(payload, message.offset, message.offset, [queued.done]);
        lastDone = message.offset;
        if (housekeeping.due()) await housekeeping.run();
        continue;
      }
      let outcome: Outcome;
      if (!parsed.ok) {
        outcome = await this.retries.deadLetter(payload, message, {
          reason: 'invalid_message',
          error: parsed.errors.join('; '),
          attempts: 0,
        });
      } else {
        // First attempt inline (the hot path allocates as little as possible).
        try {
          await this.invokeSingle(handler, parsed.event, message, payload, 1);
          this.pendingOk++;
          outcome = 'done';
        } catch (err) {
          outcome = await this.retries.retry(
            payload,
            message,
            parsed.event,
            (event, attempt) => this.invokeSingle(handler, event, message, payload, attempt),
            err,
          );
        }
      }
      if (outcome === 'aborted') break;
      if (this.deferred) this.resolved(payload, message.offset, message.offset, []);
      else payload.resolveOffset(message.offset);
      lastDone = message.offset;
      if (housekeeping.due()) await housekeeping.run();
    }
    return lastDone;
  }

  private invokeSingle(
    handler: EventHandler,
    event: EventEnvelope,
    message: KafkaMessage,
    payload: EachBatchPayload,
    attempt: number,
  ): Promise<void> {
    const correlationId = headerValue(message.headers, EVENT_HEADERS.correlationId) ?? event.correlationId;
    const ctx = new MessageContext(this.groupId, payload, message, attempt, correlationId, this.abort.signal);
    return RequestContext.run({ correlationId }, () => handler(event, ctx));
  }

  private canContinue(payload: EachBatchPayload): boolean {
    return !this.stopping && payload.isRunning() && !payload.isStale();
  }

  /** Heartbeat, interval commit and metrics, at most every HOUSEKEEPING_EVERY_MS (cheap per message). */
  private housekeeper(payload: EachBatchPayload): { due(): boolean; run(): Promise<void> } {
    let next = Date.now() + HOUSEKEEPING_EVERY_MS;
    return {
      due: () => Date.now() >= next,
      run: async () => {
        next = Date.now() + HOUSEKEEPING_EVERY_MS;
        this.flushCounters();
        await payload.heartbeat();
        // With deferredCommits, resolved is not durable: only commitDeferred() commits.
        if (!this.deferred) await payload.commitOffsetsIfNecessary();
      },
    };
  }

  /** Successes are counted locally and added to the counter in bulk (hot path). */
  private flushCounters(): void {
    if (this.pendingOk === 0) return;
    this.counters.ok.inc(this.pendingOk);
    this.pendingOk = 0;
  }

  private async commitNow(payload: EachBatchPayload): Promise<void> {
    try {
      const offsets = payload.uncommittedOffsets();
      if (offsets.topics.length) await payload.commitOffsetsIfNecessary(offsets);
    } catch (err) {
      this.deps.logger.warn(
        { err },
        'could not commit handled offsets while stopping; they will be redelivered',
      );
    }
  }

  private reportLag(batch: Batch, lastDone: string | undefined): void {
    const next = lastDone !== undefined ? Number(lastDone) + 1 : Number(batch.messages[0]!.offset);
    const lag = Math.max(0, Number(batch.highWatermark) - next);
    this.deps.metrics.consumerLag.set(
      { group: this.groupId, topic: batch.topic, partition: String(batch.partition) },
      lag,
    );
  }
}
