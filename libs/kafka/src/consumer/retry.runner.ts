import { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Logger } from 'pino';
import { Counter } from 'prom-client';
import { EventEnvelope } from '@wwb/contracts';
import { Clock } from '@wwb/runtime';
import { classifyError, describeError } from './consumer.errors';
import { DeadLetterInfo, DeadLetterProducer } from './dead-letter.producer';
import { RetryPolicy } from './retry.policy';

/** Result of handling one message: it is done (handled or dead-lettered), or left for redelivery. */
export type Outcome = 'done' | 'aborted';

export type Invoke = (event: EventEnvelope, attempt: number) => Promise<unknown>;

/** Longest sleep between two heartbeats while a retry waits. */
export const MAX_HEARTBEAT_PAUSE_MS = 1000;

/** What the retry rules need from the consumer session they run in. */
export interface RetryHost {
  readonly groupId: string;
  readonly signal: AbortSignal;
  stopping(): boolean;
  canContinue(payload: EachBatchPayload): boolean;
  /** One more event handled (counted in bulk by the session). */
  onOk(): void;
}

export interface RetryRunnerDeps {
  logger: Logger;
  retry: RetryPolicy;
  deadLetters: DeadLetterProducer;
  clock: Clock;
}

/**
 * The per-event rules of ConsumerRunner: a handler's PermanentError dead-letters the event at
 * once; any other error is retried in place with backoff (heartbeating while it waits) and
 * dead-lettered when the attempts run out; stopping leaves the event for redelivery.
 */
export class RetryRunner {
  constructor(
    private readonly deps: RetryRunnerDeps,
    private readonly host: RetryHost,
    private readonly counters: { retried: Counter.Internal; deadLettered: Counter.Internal },
  ) {}

  /** Runs `invoke` until it succeeds, the error is permanent, attempts run out, or the runner stops. */
  async handleWithRetries(
    payload: EachBatchPayload,
    message: KafkaMessage,
    event: EventEnvelope,
    invoke: Invoke,
  ): Promise<Outcome> {
    try {
      await invoke(event, 1);
      this.host.onOk();
      return 'done';
    } catch (err) {
      return this.retry(payload, message, event, invoke, err);
    }
  }

  /** After the first attempt failed with `firstError`: backoff, retry, or dead-letter. */
  async retry(
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
      if (this.host.stopping()) {
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
        this.host.onOk();
        return 'done';
      } catch (next) {
        err = next;
      }
    }
  }

  /** Sends to the dead-letter topic, retrying while Kafka refuses (a message is never skipped silently). */
  async deadLetter(
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
          group: this.host.groupId,
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
        if (this.host.stopping() || !(await this.pause(payload, this.deps.retry.delayMs(attempt))))
          return 'aborted';
      }
    }
  }

  /** Sleeps, heartbeating meanwhile. Returns false if the runner was stopped during the pause. */
  async pause(payload: EachBatchPayload, ms: number): Promise<boolean> {
    const until = this.deps.clock.nowMs() + ms;
    for (;;) {
      const left = until - this.deps.clock.nowMs();
      if (left <= 0) return true;
      try {
        await this.deps.clock.sleep(Math.min(left, MAX_HEARTBEAT_PAUSE_MS), this.host.signal);
      } catch {
        return false;
      }
      if (!this.host.canContinue(payload)) return false;
      await payload.heartbeat();
    }
  }
}
