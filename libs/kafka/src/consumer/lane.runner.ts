import { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { EventEnvelope } from '@wwb/contracts';
import { Clock } from '@wwb/runtime';
import { KeyedLanes } from './keyed-lanes';
import { Invoke, MAX_HEARTBEAT_PAUSE_MS, RetryRunner } from './retry.runner';

/** What lanes need from the consumer session they run in. */
export interface LaneHost {
  readonly signal: AbortSignal;
  canContinue(payload: EachBatchPayload): boolean;
}

const NOT_HANDLED = 'not handled: the runner stopped or the partition moved';

/**
 * `laneOf` mode of ConsumerRunner: each event waits in the lane of its key (KeyedLanes) and is
 * handled there with the normal retry and dead-letter rules; the session commits its offset once
 * the returned promise resolves (deferred commits). At most `maxLaned` events wait: beyond, the
 * session stops reading (heartbeating) until some are done.
 */
export class LaneRunner {
  private readonly lanes = new KeyedLanes();

  constructor(
    private readonly host: LaneHost,
    private readonly retries: RetryRunner,
    private readonly clock: Clock,
    private readonly laneOf: (event: EventEnvelope) => string,
    private readonly maxLaned: number,
  ) {}

  /**
   * Queues `event` in its lane once there is room. Resolves with `{ done }`, the promise of its
   * completion (wrapped: an async function would otherwise wait for it), which rejects when the runner stopped or the partition moved before it was handled (its
   * offset is then not committed, and the event is read again, here or by the new owner); or
   * with undefined when the batch should end without queueing it.
   */
  async enqueue(
    payload: EachBatchPayload,
    message: KafkaMessage,
    event: EventEnvelope,
    invoke: Invoke,
  ): Promise<{ done: Promise<void> } | undefined> {
    while (this.lanes.size >= this.maxLaned) {
      if (!this.host.canContinue(payload)) return undefined;
      await Promise.race([
        this.lanes.whenBelow(this.maxLaned),
        this.clock.sleep(MAX_HEARTBEAT_PAUSE_MS, this.host.signal).catch(() => undefined),
      ]);
      await payload.heartbeat().catch(() => undefined);
    }
    if (!this.host.canContinue(payload)) return undefined;
    const done = this.lanes.push(this.keyOf(event), async () => {
      if (!this.host.canContinue(payload)) throw new Error(NOT_HANDLED);
      const outcome = await this.retries.handleWithRetries(payload, message, event, invoke);
      if (outcome === 'aborted') throw new Error(NOT_HANDLED);
    });
    return { done };
  }

  private keyOf(event: EventEnvelope): string {
    try {
      return this.laneOf(event);
    } catch {
      return '';
    }
  }
}
