import { Injectable, OnModuleInit } from '@nestjs/common';
import { ITopicConfig } from 'kafkajs';
import { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { KafkaClient } from './kafka.client';

/**
 * Creates the platform's topics (events, commands, dead-letter) when the module starts.
 * Idempotent: existing topics are left alone (a partition count that differs from the
 * configuration is only reported: adding partitions would move keys and break ordering).
 */
@Injectable()
export class TopicAdmin implements OnModuleInit {
  private readonly logger: Logger;

  constructor(
    private readonly client: KafkaClient,
    private readonly config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'TopicAdmin' });
  }

  async onModuleInit(): Promise<void> {
    await this.ensureTopics();
  }

  /** The topics this deployment needs, as configured. */
  wanted(): ITopicConfig[] {
    const { topics, replicationFactor } = this.config.kafka;
    return [topics.events, topics.commands, topics.deadLetter].map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor,
    }));
  }

  async ensureTopics(): Promise<void> {
    const admin = await this.client.admin();
    const wanted = this.wanted();
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      // Returns false instead of throwing when another process created them first.
      const created = await admin.createTopics({ topics: missing, waitForLeaders: true });
      this.logger.info({ topics: missing.map((t) => t.topic), created }, 'Kafka topics ensured');
    }
    const metadata = await admin.fetchTopicMetadata({ topics: wanted.map((t) => t.topic) });
    for (const t of metadata.topics) {
      const want = wanted.find((w) => w.topic === t.name)?.numPartitions;
      if (
        t.name === this.config.kafka.topics.commands.name &&
        want !== undefined &&
        t.partitions.length < want
      ) {
        // Commands are written to commandPartition(connection, KAFKA_COMMANDS_PARTITIONS): a
        // smaller topic would refuse them, so refuse to start instead.
        throw new Error(
          `Kafka topic ${t.name} has ${t.partitions.length} partitions but KAFKA_COMMANDS_PARTITIONS is ${want}: ` +
            'set KAFKA_COMMANDS_PARTITIONS to the topic partition count',
        );
      }
      if (want !== undefined && t.partitions.length !== want) {
        this.logger.warn(
          { topic: t.name, partitions: t.partitions.length, configured: want },
          'Kafka topic has a different partition count than configured; left unchanged',
        );
      }
    }
  }
}
