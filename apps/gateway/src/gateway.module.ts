import { DynamicModule, Module } from '@nestjs/common';
import { CampaignsModule } from '@wwb/campaigns';
import { AppConfig } from '@wwb/config';
import { GatewayModule as GatewayNodeModule } from '@wwb/gateway';
import { HttpPlatformModule } from '@wwb/http';
import { MessagingModule } from '@wwb/messaging';
import { PlatformModule } from '@wwb/platform';

/**
 * What the gateway role adds: the WhatsApp sessions it hosts. The node joins the `gateway`
 * consumer group and runs the connections of the commands partitions assigned to it, and paces
 * their campaign sends.
 */
@Module({ imports: [GatewayNodeModule, MessagingModule.forGateway(), CampaignsModule.forGateway()] })
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
