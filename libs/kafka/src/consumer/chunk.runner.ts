import { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Logger } from 'pino';
import { EventEnvelope, EventValidator } from '@wwb/contracts';
import { RequestContext } from '@wwb/runtime';
import { BatchEventHandler } from './consumer.types';
import { RetryRunner } from './retry.runner';

/** Work a batch handler passed to ctx.defer() (deferredCommits mode; empty otherwise). */
export type Deferred = Promise<unknown>[];

/** What batch mode needs from the consumer session it runs in. */
export interface ChunkHost {
  readonly groupId: string;
  readonly signal: AbortSignal;
  canContinue(payload: EachBatchPayload): boolean;
  housekeeper(payload: EachBatchPayload): { due(): boolean; run(): Promise<void> };
  /** A range of the partition is handled; its offsets are committable once `deferred` is durable. */
  resolved(payload: EachBatchPayload, first: string, last: string, deferred: Deferred): void;
  /** `n` more events handled. */
  onOk(n: number): void;
}

/**
 * Batch mode of ConsumerRunner (`handlerBatch`): chunks of a fetched batch go to the handler in
 * one call; a failed call falls back to one event at a time with the normal retry rules.
 */
export class ChunkRunner {
  constructor(
    private readonly deps: { validator: EventValidator; logger: Logger },
    private readonly host: ChunkHost,
    private readonly retries: RetryRunner,
    private readonly maxBatchSize: number,
    /** deferredCommits: what handlers defer is left to DeferredCommits instead of awaited. */
    private readonly deferredMode: boolean,
  ) {}

  /**
   * Batch mode: hands the valid events of each chunk (at most maxBatchSize) to the batch handler
   * in one call. Invalid messages are dead-lettered first. If the call fails, the chunk's events
   * are handled one at a time with the normal retry and dead-letter rules.
   */
  async run(payload: EachBatchPayload, handler: BatchEventHandler): Promise<string | undefined> {
    const { batch } = payload;
    const housekeeping = this.host.housekeeper(payload);
    let lastDone: string | undefined;
    let rangeFirst = batch.messages[0]!.offset;
    const resolve = (last: string, deferred: Deferred) => {
      this.host.resolved(payload, rangeFirst, last, deferred);
      lastDone = last;
      rangeFirst = String(BigInt(last) + 1n);
    };
    for (let start = 0; start < batch.messages.length; start += this.maxBatchSize) {
      if (!this.host.canContinue(payload)) break;
      const chunk = batch.messages.slice(start, start + this.maxBatchSize);
      const valid: { message: KafkaMessage; event: EventEnvelope }[] = [];
      let aborted = false;
      for (const message of chunk) {
        const parsed = this.deps.validator.parse(message.value);
        if (parsed.ok) {
          valid.push({ message, event: parsed.event });
          continue;
        }
        const outcome = await this.retries.deadLetter(payload, message, {
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
        if (!this.host.canContinue(payload)) return lastDone;
        const own: Deferred = [];
        const outcome = await this.retries.handleWithRetries(payload, message, event, (e, attempt) =>
          this.invokeBatch(handler, [e], [message.offset], payload, attempt, own),
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
    const offsets = valid.map((v) => v.message.offset);
    const first = offsets[0]!;
    const last = offsets[offsets.length - 1]!;
    try {
      await this.invokeBatch(
        handler,
        valid.map((v) => v.event),
        offsets,
        payload,
        1,
        deferred,
      );
      this.host.onOk(valid.length);
      return true;
    } catch (err) {
      this.deps.logger.warn(
        { err, partition: batch.partition, firstOffset: first, lastOffset: last, events: valid.length },
        'batch handler failed; handling the events one by one',
      );
      return false;
    }
  }

  /**
   * Calls the batch handler. What it passes to ctx.defer() is awaited here (normal mode) or left
   * in `sink` for DeferredCommits (deferredCommits mode); a failed call's deferred work is dropped.
   */
  private async invokeBatch(
    handler: BatchEventHandler,
    events: EventEnvelope[],
    offsets: string[],
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
          groupId: this.host.groupId,
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: offsets[0]!,
          lastOffset: offsets[offsets.length - 1]!,
          offsets,
          attempt,
          signal: this.host.signal,
          heartbeat: () => payload.heartbeat(),
          defer: (durable) => {
            durable.catch(() => undefined); // observed later (DeferredCommits or below)
            sink.push(durable);
          },
        }),
      );
      if (!this.deferredMode && sink.length > 0) {
        const own = sink.splice(0);
        await Promise.all(own);
      }
    } catch (err) {
      sink.length = 0;
      throw err;
    }
  }
}
