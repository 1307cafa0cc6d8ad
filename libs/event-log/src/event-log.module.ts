import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LeasedJobsModule } from '@wwb/infrastructure';
import { EventLogRetentionRunner } from './event-log-retention.runner';
import { EVENT_LOG_CONSUMER_OPTIONS, EventLogConsumer, EventLogConsumerOptions } from './event-log.consumer';
import { EventLogRepository } from './event-log.repository';
import { STORED_EVENT_MODEL, StoredEventSchema } from './stored-event.schema';

const model = MongooseModule.forFeature([{ name: STORED_EVENT_MODEL, schema: StoredEventSchema }]);

/**
 * The event log. Import `EventLogModule` where events are read (the pull API: EventLogRepository
 * only), and `EventLogModule.withConsumer()` in the worker, which also runs the `event-log`
 * consumer group that fills the log and the retention job that empties it
 * (EVENT_LOG_RETENTION_DAYS). Needs KafkaModule and PersistenceModule (global).
 */
@Module({
  imports: [model],
  providers: [EventLogRepository],
  exports: [EventLogRepository],
})
export class EventLogModule {
  /**
   * `retention: true` also runs the EVENT_LOG_RETENTION_DAYS job (needs the @nestjs/schedule
   * registry and LeasesModule's collection: the worker's PlatformModule).
   */
  static withConsumer(options: EventLogConsumerOptions & { retention?: boolean } = {}): DynamicModule {
    const { retention, ...consumer } = options;
    return {
      module: EventLogModule,
      imports: retention ? [model, LeasedJobsModule] : [model],
      providers: [
        EventLogRepository,
        EventLogConsumer,
        ...(retention ? [EventLogRetentionRunner] : []),
        { provide: EVENT_LOG_CONSUMER_OPTIONS, useValue: consumer },
      ],
      exports: [EventLogRepository, EventLogConsumer, ...(retention ? [EventLogRetentionRunner] : [])],
    };
  }
}
