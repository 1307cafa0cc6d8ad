import { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { Consumer, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { AppConfig, ConfigModule } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { KafkaClient, KafkaModule } from '@wwb/kafka';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { IdGenerator, RuntimeModule } from '@wwb/runtime';

/**
 * Boots the shared infrastructure (config, runtime, observability, Mongo, Kafka) for one test
 * file, against the real broker and FerretDB, with the file's own topics and database.
 */
export async function startKafkaApp(
  config: AppConfig,
  imports: (Type<unknown> | DynamicModule)[] = [],
): Promise<INestApplicationContext> {
  class KafkaTestModule {}
  const root: DynamicModule = {
    module: KafkaTestModule,
    imports: [
      ConfigModule.forRoot(config),
      RuntimeModule,
      ObservabilityModule,
      PersistenceModule,
      KafkaModule,
      ...imports,
    ],
  };
  return NestFactory.createApplicationContext(root, { logger: false, abortOnError: false });
}

/** Closes the app, then drops the test database and deletes the test topics. */
export async function stopKafkaApp(
  app: INestApplicationContext | undefined,
  config: AppConfig,
): Promise<void> {
  if (!app) return;
  const connection = app.get<Connection>(getConnectionToken());
  const kafka = app.get(KafkaClient);
  const admin = kafka.kafka.admin();
  await admin.connect();
  try {
    await connection.dropDatabase();
  } catch {
    // best effort
  }
  await app.close();
  const { events, commands, deadLetter } = config.kafka.topics;
  await admin.deleteTopics({ topics: [events.name, commands.name, deadLetter.name] }).catch(() => undefined);
  await admin.disconnect();
}

const ids = new IdGenerator();

/** A valid envelope of an uncatalogued type (only the envelope schema applies). */
export function envelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: ids.ulid(),
    type: 'test.happened',
    version: 1,
    occurredAt: new Date().toISOString(),
    accountId: 'acc_test',
    data: {},
    ...overrides,
  };
}

/** Reads a topic from the beginning with a raw kafkajs consumer and keeps every message. */
export class TopicReader {
  readonly messages: (KafkaMessage & { partition: number })[] = [];
  private consumer?: Consumer;

  constructor(
    private readonly config: AppConfig,
    private readonly topic: string,
  ) {}

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: `${this.config.kafka.clientId}-reader`,
      brokers: this.config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `${this.topic}-reader-${ids.ulid()}`, maxWaitTimeInMs: 200 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        this.messages.push({ ...message, partition });
      },
    });
    return this;
  }

  header(message: KafkaMessage, name: string): string | undefined {
    return message.headers?.[name]?.toString();
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** A promise with its resolve function, for handlers that must wait for the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
