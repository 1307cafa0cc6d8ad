import { Batch, Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Logger } from 'pino';
import { Counter } from 'prom-client';
import { EventEnvelope, EventValidator } from '@wwb/contracts';
import { MetricsRegistry } from '@wwb/observability';
import { Clock, RequestContext } from '@wwb/runtime';
import { classifyError, describeError } from './consumer.errors';
import {
  BatchEventHandler,
  ConsumerContext,
  ConsumerHandle,
  EventHandler,
  RunOptions,
} from './consumer.types';
import { DeadLetterInfo, DeadLetterProducer } from './dead-letter.producer';
import { DeferredCommits, DeferredFailure } from './deferred-commits';
import { EVENT_HEADERS, headersToStrings, headerValue } from './event-message.mapper';
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

/** Result of handling one message: it is done (handled or dead-lettered), or left for redelivery. */
type Outcome = 'done' | 'aborted';

type Invoke = (event: EventEnvelope, attempt: number) => Promise<unknown>;

/** Work a batch handler passed to ctx.defer() (deferredCommits mode; empty otherwise). */
type Deferred = Promise<unknown>[];

const HOUSEKEEPING_EVERY_MS = 250;
const MAX_HEARTBEAT_PAUSE_MS = 1000;

/** The handler's context; headers are converted only when a handler reads them (hot path). */
class MessageContext implements ConsumerContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  private headerStrings?: Record<string, string>;

  constructor(
    readonly groupId: string,
    private readonly payload: EachBatchPayload,
    private readonly message: KafkaMessage,
    readonly attempt: number,
    readonly correlationId: string | undefined,
    readonly signal: AbortSignal,
  ) {
    this.topic = payload.batch.topic;
    this.partition = payload.batch.partition;
    this.offset = message.offset;
  }

  get headers(): Record<string, string> {
    return (this.headerStrings ??= headersToStrings(this.message.headers));
  }

  heartbeat(): Promise<void> {
    return this.payload.heartbeat();
  }
}

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
  private readonly maxBatchSize: number;
  private pendingOk = 0;
  private assigned: readonly number[] = [];
  private readonly deferred?: DeferredCommits;
  private commitTimer?: NodeJS.Timeout;
  private committing?: Promise<void>;
  private activeBatches = 0;
  private batchesIdle?: () => void;
  private readonly failures = new Map<number, number>();

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
    this.maxBatchSize = 'maxBatchSize' in options && options.maxBatchSize ? options.maxBatchSize : 500;
    if ('deferredCommits' in options && options.deferredCommits)
      this.deferred = new DeferredCommits((f) => this.onDeferredFailure(f));

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
        ? await this.processChunks(payload, this.options.handlerBatch)
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
    if (this.stopping) return;
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
      let outcome: Outcome;
      if (!parsed.ok) {
        outcome = await this.deadLetter(payload, message, {
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
          outcome = await this.retry(
            payload,
            message,
            parsed.event,
            (event, attempt) => this.invokeSingle(handler, event, message, payload, attempt),
            err,
          );
        }
      }
      if (outcome === 'aborted') break;
      payload.resolveOffset(message.offset);
      lastDone = message.offset;
      if (housekeeping.due()) await housekeeping.run();
    }
    return lastDone;
  }

  /**
   * Batch mode: hands the valid events of each chunk (at most maxBatchSize) to the batch handler
   * in one call. Invalid messages are dead-lettered first. If the call fails, the chunk's events
   * are handled one at a time with the normal retry and dead-letter rules.
   */
  private async processChunks(
    payload: EachBatchPayload,
    handler: BatchEventHandler,
  ): Promise<string | undefined> {
    const { batch } = payload;
    const housekeeping = this.housekeeper(payload);
    let lastDone: string | undefined;
    let rangeFirst = batch.messages[0]!.offset;
    const resolve = (last: string, deferred: Deferred) => {
      this.resolved(payload, rangeFirst, last, deferred);
      lastDone = last;
      rangeFirst = String(BigInt(last) + 1n);
    };
    for (let start = 0; start < batch.messages.length; start += this.maxBatchSize) {
      if (!this.canContinue(payload)) break;
      const chunk = batch.messages.slice(start, start + this.maxBatchSize);
      const valid: { message: KafkaMessage; event: EventEnvelope }[] = [];
      let aborted = false;
      for (const message of chunk) {
        const parsed = this.deps.validator.parse(message.value);
        if (parsed.ok) {
          valid.push({ message, event: parsed.event });
          continue;
        }
        const outcome = await this.deadLetter(payload, message, {
          reason: 'invalid_message',
          error: parsed.errors.join('; '),
          attempts: 0,
        });
        if (outcome === 'aborted') {
          aborted = true;
          break;
        }
      }
      if (aborted) break;

      const chunkLast = chunk[chunk.length - 1]!.offset;
      const deferred: Deferred = [];
      if (valid.length === 0 || (await this.tryBatch(handler, valid, payload, deferred))) {
        resolve(chunkLast, deferred);
        if (housekeeping.due()) await housekeeping.run();
        continue;
      }

      // The batch call failed: one event at a time, in order, resolving as we go.
      for (const { message, event } of valid) {
        if (!this.canContinue(payload)) return lastDone;
        const own: Deferred = [];
        const outcome = await this.handleWithRetries(payload, message, event, (e, attempt) =>
          this.invokeBatch(handler, [e], message.offset, message.offset, payload, attempt, own),
        );
        if (outcome === 'aborted') return lastDone;
        resolve(message.offset, own);
        if (housekeeping.due()) await housekeeping.run();
      }
      if (lastDone !== chunkLast) resolve(chunkLast, []); // the chunk ended with dead-lettered invalid messages
    }
    return lastDone;
  }

  private async tryBatch(
    handler: BatchEventHandler,
    valid: { message: KafkaMessage; event: EventEnvelope }[],
    payload: EachBatchPayload,
    deferred: Deferred,
  ): Promise<boolean> {
    const { batch } = payload;
    const first = valid[0]!.message.offset;
    const last = valid[valid.length - 1]!.message.offset;
    try {
      await this.invokeBatch(
        handler,
        valid.map((v) => v.event),
        first,
        last,
        payload,
        1,
        deferred,
      );
      this.pendingOk += valid.length;
      return true;
    } catch (err) {
      this.deps.logger.warn(
        { err, partition: batch.partition, firstOffset: first, lastOffset: last, events: valid.length },
        'batch handler failed; handling the events one by one',
      );
      return false;
    }
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

  /**
   * Calls the batch handler. What it passes to ctx.defer() is awaited here (normal mode) or left
   * in `sink` for DeferredCommits (deferredCommits mode); a failed call's deferred work is dropped.
   */
  private async invokeBatch(
    handler: BatchEventHandler,
    events: EventEnvelope[],
    firstOffset: string,
    lastOffset: string,
    payload: EachBatchPayload,
    attempt: number,
    sink: Deferred,
  ): Promise<void> {
    const { batch } = payload;
    const correlationId = events.length === 1 ? events[0]!.correlationId : undefined;
    sink.length = 0;
    try {
      await RequestContext.run({ correlationId }, () =>
        handler(events, {
          groupId: this.groupId,
          topic: batch.topic,
          partition: batch.partition,
          firstOffset,
          lastOffset,
          attempt,
          signal: this.abort.signal,
          heartbeat: () => payload.heartbeat(),
          defer: (durable) => {
            durable.catch(() => undefined); // observed later (DeferredCommits or below)
            sink.push(durable);
          },
        }),
      );
      if (!this.deferred && sink.length > 0) {
        const own = sink.splice(0);
        await Promise.all(own);
      }
    } catch (err) {
      sink.length = 0;
      throw err;
    }
  }

  /** Runs `invoke` until it succeeds, the error is permanent, attempts run out, or the runner stops. */
  private async handleWithRetries(
    payload: EachBatchPayload,
    message: KafkaMessage,
    event: EventEnvelope,
    invoke: Invoke,
  ): Promise<Outcome> {
    try {
      await invoke(event, 1);
      this.pendingOk++;
      return 'done';
    } catch (err) {
      return this.retry(payload, message, event, invoke, err);
    }
  }

  /** After the first attempt failed with `firstError`: backoff, retry, or dead-letter. */
  private async retry(
    payload: EachBatchPayload,
    message: KafkaMessage,
    event: EventEnvelope,
    invoke: Invoke,
    firstError: unknown,
  ): Promise<Outcome> {
    let err = firstError;
    for (let failed = 1; ; failed++) {
      const log = {
        err,
        eventId: event.id,
        type: event.type,
        partition: payload.batch.partition,
        attempt: failed,
      };
      if (classifyError(err) === 'permanent') {
        this.deps.logger.warn(log, 'permanent error; dead-lettering the event');
        return this.deadLetter(payload, message, {
          reason: 'permanent_error',
          error: describeError(err),
          attempts: failed,
        });
      }
      if (this.stopping) {
        this.deps.logger.info(log, 'handler failed while stopping; the event will be redelivered');
        return 'aborted';
      }
      if (!this.deps.retry.canRetry(failed)) {
        this.deps.logger.warn(log, 'retries exhausted; dead-lettering the event');
        return this.deadLetter(payload, message, {
          reason: 'max_attempts',
          error: describeError(err),
          attempts: failed,
        });
      }
      const delayMs = this.deps.retry.delayMs(failed);
      this.deps.logger.warn({ ...log, delayMs }, 'handler failed; retrying');
      this.counters.retried.inc();
      if (!(await this.pause(payload, delayMs))) return 'aborted';
      try {
        await invoke(event, failed + 1);
        this.pendingOk++;
        return 'done';
      } catch (next) {
        err = next;
      }
    }
  }

  /** Sends to the dead-letter topic, retrying while Kafka refuses (a message is never skipped silently). */
  private async deadLetter(
    payload: EachBatchPayload,
    message: KafkaMessage,
    info: Pick<DeadLetterInfo, 'reason' | 'error' | 'attempts'>,
  ): Promise<Outcome> {
    const { batch } = payload;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.deadLetters.send(message, {
          ...info,
          sourceTopic: batch.topic,
          sourcePartition: batch.partition,
          group: this.groupId,
        });
        this.counters.deadLettered.inc();
        this.deps.logger.warn(
          { partition: batch.partition, offset: message.offset, reason: info.reason, error: info.error },
          'message dead-lettered',
        );
        return 'done';
      } catch (err) {
        this.deps.logger.error(
          { err, partition: batch.partition, offset: message.offset },
          'dead-letter send failed',
        );
        if (this.stopping || !(await this.pause(payload, this.deps.retry.delayMs(attempt)))) return 'aborted';
      }
    }
  }

  /** Sleeps, heartbeating meanwhile. Returns false if the runner was stopped during the pause. */
  private async pause(payload: EachBatchPayload, ms: number): Promise<boolean> {
    const until = this.deps.clock.nowMs() + ms;
    for (;;) {
      const left = until - this.deps.clock.nowMs();
      if (left <= 0) return true;
      try {
        await this.deps.clock.sleep(Math.min(left, MAX_HEARTBEAT_PAUSE_MS), this.abort.signal);
      } catch {
        return false;
      }
      if (!this.canContinue(payload)) return false;
      await payload.heartbeat();
    }
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
