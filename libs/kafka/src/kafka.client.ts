import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  Admin,
  Consumer,
  ConsumerConfig,
  Kafka,
  logCreator,
  LogEntry,
  logLevel,
  Partitioners,
  Producer,
} from 'kafkajs';
import { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';

export type TopicName = 'events' | 'commands';
export type AnyTopicName = TopicName | 'deadLetter';

/** Routes kafkajs' own log lines to pino. Only warn and error reach it (see `logLevel` below). */
export function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}

/**
 * The process' one kafkajs `Kafka` instance, with one shared producer and one shared admin
 * client, both connected on first use. Consumers are created per consumer group by
 * `ConsumerRunner`. Topic names are resolved here (the configured prefix is part of them).
 */
@Injectable()
export class KafkaClient implements OnApplicationShutdown {
  readonly kafka: Kafka;
  private readonly logger: Logger;
  private producerClient?: Producer;
  private producerPromise?: Promise<Producer>;
  private adminClient?: Admin;
  private adminPromise?: Promise<Admin>;
  private closed = false;

  constructor(
    private readonly config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'Kafka' });
    this.kafka = new Kafka({
      clientId: config.kafka.clientId,
      brokers: config.kafka.brokers,
      logLevel: logLevel.WARN,
      logCreator: pinoLogCreator(this.logger),
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: { initialRetryTime: 100, retries: 8 },
    });
  }

  /** Partitions of the commands topic: the placement of connections depends on it. */
  get commandPartitions(): number {
    return this.config.kafka.topics.commands.partitions;
  }

  topicName(topic: AnyTopicName): string {
    return this.config.kafka.topics[topic].name;
  }

  /**
   * Consumer group ids are namespaced with the topic prefix, so that two deployments (or two
   * test files) sharing a broker never join each other's groups.
   */
  groupId(logical: string): string {
    return `${this.config.raw.KAFKA_TOPIC_PREFIX}${logical}`;
  }

  /**
   * The idempotent producer (acks=all, unlimited retries, one in-flight request per broker):
   * a retried send never writes a message twice and never reorders a partition. While the
   * cluster is unreachable, sends wait (retrying) rather than fail.
   * kafkajs serialises idempotent produce requests per broker anyway (its sequence numbers are
   * assigned under a per-broker lock); `maxInFlightRequests: 1` makes that explicit.
   */
  producer(): Promise<Producer> {
    if (this.closed) return Promise.reject(new Error('Kafka client is shut down'));
    if (!this.producerPromise) {
      this.producerClient = this.kafka.producer({
        idempotent: true,
        // Never give up: after a failed send kafkajs rewinds the partition's sequence number,
        // and a batch that did reach the broker would make the next one look like a duplicate.
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 10_000 },
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.producerPromise = this.connect(this.producerClient, () => (this.producerPromise = undefined));
    }
    return this.producerPromise;
  }

  admin(): Promise<Admin> {
    if (this.closed) return Promise.reject(new Error('Kafka client is shut down'));
    if (!this.adminPromise) {
      this.adminClient = this.kafka.admin();
      this.adminPromise = this.connect(this.adminClient, () => (this.adminPromise = undefined));
    }
    return this.adminPromise;
  }

  consumer(config: ConsumerConfig): Consumer {
    return this.kafka.consumer(config);
  }

  /** Disconnects the shared producer and admin. Consumers are stopped by `ConsumerRunner` first. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const clients = [this.producerClient, this.adminClient];
    this.producerClient = this.adminClient = undefined;
    this.producerPromise = this.adminPromise = undefined;
    await Promise.all(
      clients.map(async (client) => {
        try {
          // Also cuts short a connection attempt still retrying.
          await client?.disconnect();
        } catch (err) {
          this.logger.warn({ err }, 'Kafka client did not disconnect cleanly');
        }
      }),
    );
  }

  private async connect<T extends { connect(): Promise<void> }>(
    client: T,
    onFailure: () => void,
  ): Promise<T> {
    try {
      await client.connect();
      return client;
    } catch (err) {
      onFailure();
      throw err;
    }
  }
}
