import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig, ConfigModule } from '@wwb/config';
import { KafkaModule } from '@wwb/kafka';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { RuntimeModule } from '@wwb/runtime';

/**
 * The infrastructure every process role shares, imported once at the root of each app:
 * validated config, clock and ids, logs and metrics, the Mongo connection, the Kafka client,
 * in-process events and timers. Role modules (api, worker, gateway) add only their own parts,
 * so that one process can host several roles without opening things twice.
 */
@Module({})
export class PlatformModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule,
        ObservabilityModule,
        PersistenceModule,
        KafkaModule,
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        ScheduleModule.forRoot(),
      ],
    };
  }
}
