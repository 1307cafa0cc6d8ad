import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from '@wwb/config';
import { PlatformModule } from '@wwb/platform';
import { API_ROLE_MODULES } from '../../api/src/api.module';
import { GatewayRoleModule } from '../../gateway/src/gateway.module';
import { WorkerRoleModule } from '../../worker/src/worker.module';

/** A single node: the infrastructure once, and the api, worker and gateway roles on top. */
@Module({})
export class AllInOneModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [
        PlatformModule.forRoot(config),
        ...API_ROLE_MODULES,
        WorkerRoleModule.forRoot(config),
        GatewayRoleModule,
      ],
    };
  }
}
