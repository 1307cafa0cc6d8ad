import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EVENT_LOG_CONSUMER_OPTIONS, EventLogConsumer, EventLogConsumerOptions } from './event-log.consumer';
import { EventLogRepository } from './event-log.repository';
import { STORED_EVENT_MODEL, StoredEventSchema } from './stored-event.schema';

const model = MongooseModule.forFeature([{ name: STORED_EVENT_MODEL, schema: StoredEventSchema }]);

/**
 * The event log. Import `EventLogModule` where events are read (the pull API: EventLogRepository
 * only), and `EventLogModule.withConsumer()` in the worker, which also runs the `event-log`
 * consumer group that fills the log. Needs KafkaModule and PersistenceModule (global).
 */
@Module({
  imports: [model],
  providers: [EventLogRepository],
  exports: [EventLogRepository],
})
export class EventLogModule {
  static withConsumer(options: EventLogConsumerOptions = {}): DynamicModule {
    return {
      module: EventLogModule,
      imports: [model],
      providers: [
        EventLogRepository,
        EventLogConsumer,
        { provide: EVENT_LOG_CONSUMER_OPTIONS, useValue: options },
      ],
      exports: [EventLogRepository, EventLogConsumer],
    };
  }
}
