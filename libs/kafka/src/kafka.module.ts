import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConsumerRunner } from './consumer/consumer.runner';
import { DeadLetterProducer } from './consumer/dead-letter.producer';
import { EventFactory } from './event.factory';
import { EventPublisher } from './event.publisher';
import { KafkaClient } from './kafka.client';
import { KafkaHealth } from './kafka.health';
import { PROCESSED_EVENT_MODEL, ProcessedEventSchema } from './processed-event.schema';
import { ProcessedEventStore } from './processed-event.store';
import { TopicAdmin } from './topic.admin';

const providers = [
  KafkaClient,
  TopicAdmin,
  KafkaHealth,
  EventFactory,
  EventPublisher,
  DeadLetterProducer,
  ConsumerRunner,
  ProcessedEventStore,
];

/**
 * The event backbone: one kafkajs client per process, topic creation at start-up, the
 * publisher, the consumer runner and the processed-event store.
 * Needs the global ConfigModule, ObservabilityModule, RuntimeModule and PersistenceModule.
 */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: PROCESSED_EVENT_MODEL, schema: ProcessedEventSchema }])],
  providers,
  exports: providers,
})
export class KafkaModule {}
