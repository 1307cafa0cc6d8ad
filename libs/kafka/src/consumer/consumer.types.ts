import { EventEnvelope } from '@wwb/contracts';
import { TopicName } from '../kafka.client';
import { RetrySettings } from './retry.policy';

/** What a handler knows about the message it handles. */
export interface ConsumerContext {
  /** Logical consumer group (as passed to `run`, without the deployment prefix). */
  groupId: string;
  /** Full Kafka topic name. */
  topic: string;
  partition: number;
  offset: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  headers: Record<string, string>;
  correlationId?: string;
  /** Aborted when the runner stops: long handlers may give up early (the message is then redelivered). */
  signal: AbortSignal;
  /** Tells the group coordinator this member is alive; call it in handlers that wait long. */
  heartbeat(): Promise<void>;
}

export interface BatchContext {
  groupId: string;
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  /** The offset of each event, in the order of the events (invalid messages between them were dead-lettered). */
  offsets: readonly string[];
  attempt: number;
  signal: AbortSignal;
  heartbeat(): Promise<void>;
  /**
   * The chunk's effect becomes durable when `durable` resolves: its offsets are not committed
   * before. With `deferredCommits` the runner moves on to the next chunk at once (the handler
   * may return before `durable` settles); if `durable` rejects, the partition is read again
   * from this chunk on, after a backoff. Without it the runner waits for `durable` as if the
   * handler had awaited it (a rejection is a failure of the call).
   */
  defer(durable: Promise<unknown>): void;
}

export type EventHandler = (event: EventEnvelope, ctx: ConsumerContext) => Promise<void>;

/**
 * Receives the valid events of a chunk of one partition, in offset order. If it throws, the
 * runner falls back to calling it with one event at a time (each with the normal retry and
 * dead-letter rules), so one bad event cannot hold back or dead-letter its neighbours.
 * It must therefore be idempotent per event.
 */
export type BatchEventHandler = (events: EventEnvelope[], ctx: BatchContext) => Promise<void>;

interface CommonRunOptions {
  /** Logical group id; the Kafka group id is `<topic prefix><groupId>`. */
  groupId: string;
  topic: TopicName;
  /** Partitions handled in parallel (kafkajs partitionsConsumedConcurrently). Default 1. */
  concurrency?: number;
  /** Where a new group starts. Default true: a new consumer sees the whole retained history. */
  fromBeginning?: boolean;
  /** Override the configured retry settings (config.kafka.consumer). */
  retry?: Partial<RetrySettings>;
  /** Handled offsets are committed at least this often within a long batch. Default 1000. */
  commitIntervalMs?: number;
  /** kafkajs sessionTimeout. Default 30000. A handler must not run longer without returning. */
  sessionTimeoutMs?: number;
  /** kafkajs maxWaitTimeInMs of a fetch. Default 1000. */
  maxWaitTimeMs?: number;
  /** kafkajs maxBytesPerPartition of a fetch. Default 1 MiB. */
  maxBytesPerPartition?: number;
  /**
   * Called with the partitions of `topic` this member owns, sorted, each time the group
   * (re)assigns them (every rebalance), and with `[]` once the consumer has stopped or crashed for
   * good. Placement (the gateway) runs exactly the work of these partitions. Errors are logged.
   */
  onAssignment?: (partitions: number[]) => void;
}

export interface SingleRunOptions extends CommonRunOptions {
  handler: EventHandler;
  handlerBatch?: never;
  /**
   * Lanes within a partition: events with the same lane key are handled one at a time in
   * offset order, events with different keys side by side, so a slow event (a send waiting for
   * its connection) never delays another key's events. Each event keeps the retry and
   * dead-letter rules; offsets are committed once every event up to them is done (deferred
   * commits), so a crash redelivers the unfinished ones and anything after them. Default: none
   * (the whole partition is one lane).
   */
  laneOf?: (event: EventEnvelope) => string;
  /** With `laneOf`: events queued in lanes at most, over all partitions, before reading pauses. Default 1000. */
  maxLaned?: number;
}

export interface BatchRunOptions extends CommonRunOptions {
  handlerBatch: BatchEventHandler;
  laneOf?: never;
  maxLaned?: never;
  /** Largest number of events per handlerBatch call. Default 500. */
  maxBatchSize?: number;
  /**
   * Commit offsets only once the work handlers passed to `ctx.defer()` is durable, without
   * waiting for it before fetching more (kafkajs' fetch loop waits for every partition's
   * handler, so one slow write would hold back all partitions). Offsets are committed every
   * `commitIntervalMs`, in partition order, up to the last durable chunk. Default false.
   */
  deferredCommits?: boolean;
  handler?: never;
}

export type RunOptions = SingleRunOptions | BatchRunOptions;

export interface ConsumerHandle {
  readonly groupId: string;
  readonly topic: string;
  /** Resolves the first time the consumer has joined its group (useful for tests and benches). */
  readonly joined: Promise<void>;
  /** Partitions of the topic assigned to this member now (sorted; empty before joining and after stop). */
  readonly assignedPartitions: readonly number[];
  /**
   * Stops fetching, lets in-flight handlers finish (retry sleeps are cut short and their
   * messages left for redelivery), commits the handled offsets, leaves the group and
   * disconnects. Idempotent.
   */
  stop(): Promise<void>;
}
