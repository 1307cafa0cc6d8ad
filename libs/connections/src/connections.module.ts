import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ConnectionLifecycleService } from './connection-lifecycle.service';
import { ConnectionSimulatorController } from './simulator';
import { ConnectionStateDoc, ConnectionStateSchema } from './connection-state.schema';
import { ConnectionStateRepository } from './connection-state.repository';
import { ConnectionDoc, ConnectionSchema } from './connection.schema';
import { ConnectionRepository } from './connection.repository';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { ConnectionEventsFeed, EventStreamPolicy, EventStreamRunner } from './live';
import { GatewayReplyDoc, GatewayReplySchema } from './gateway-link/gateway-reply.schema';
import { GatewayReplyRepository } from './gateway-link/gateway-reply.repository';
import { GatewayClient } from './gateway-link/gateway.client';
import { QrCodeRenderer } from './qr-code.renderer';
import { SentMessageLookupClient } from './gateway-link/sent-message-lookup.client';

/** The HTTP side, composed by `ConnectionsModule.withHttp()` (the API role). */
@Module({})
class ConnectionsHttpModule {}

const core = [
  ConnectionRepository,
  ConnectionStateRepository,
  GatewayReplyRepository,
  ConnectionsService,
  GatewayClient,
  SentMessageLookupClient,
];

/**
 * WhatsApp connections. `ConnectionsModule` itself has no controllers: the storage of
 * connections and their states, `ConnectionsService` (reading, `getForPrincipal`) and
 * `GatewayClient` (commands and request/reply to the owning gateway); the gateway and other
 * features import it. The API role imports `ConnectionsModule.withHttp()`: the /v1/connections
 * endpoints, their Server-Sent Events feed and the simulator controls.
 * Needs the global config, runtime, observability, persistence and Kafka modules.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ConnectionDoc.name, schema: ConnectionSchema },
      { name: ConnectionStateDoc.name, schema: ConnectionStateSchema },
      { name: GatewayReplyDoc.name, schema: GatewayReplySchema },
    ]),
  ],
  providers: core,
  exports: core,
})
export class ConnectionsModule {
  static withHttp(): DynamicModule {
    return {
      module: ConnectionsHttpModule,
      imports: [ConnectionsModule, AccountsModule],
      controllers: [ConnectionsController, ConnectionSimulatorController],
      providers: [
        ConnectionLifecycleService,
        QrCodeRenderer,
        ConnectionEventsFeed,
        EventStreamPolicy,
        EventStreamRunner,
      ],
    };
  }
}
