import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { HttpPlatformModule } from '@wwb/http';
import { PlatformModule } from '@wwb/platform';

/** What the gateway role adds: the WhatsApp sessions it hosts (issue 3). */
@Module({})
export class GatewayRoleModule {}

/** The gateway process: shared infrastructure, health and metrics, and the sessions. */
@Module({})
export class GatewayModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot(config), HttpPlatformModule, GatewayRoleModule],
    };
  }
}
