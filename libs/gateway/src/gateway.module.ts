import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountStatusModule } from '@wwb/accounts';
import { ConnectionsModule } from '@wwb/connections';
import { WhatsAppModule } from '@wwb/whatsapp';
import { AccountSuspensionService } from './sessions/account-suspension.service';
import { ConnectionCommandHandlers } from './sessions/connection-command.handlers';
import { ConnectionHandOff } from './sessions/connection-handoff.service';
import { ConnectionSupervisor } from './sessions/connection.supervisor';
import { GatewayCommandRegistry } from './node/gateway-command.registry';
import { GatewayNodeIdentity } from './node/gateway-node.identity';
import { GatewayNodeRepository } from './node/gateway-node.repository';
import { GatewayNodeDoc, GatewayNodeSchema } from './node/gateway-node.schema';
import { GatewayNode } from './node/gateway.node';
import { NodeLivenessService } from './node/node-liveness.service';
import { OutgoingTagStore } from './events/outgoing-tag.store';

/**
 * The gateway: importing this module makes the process a gateway node (it joins the `gateway`
 * consumer group and runs WhatsApp sessions), so only the gateway role imports it, and modules
 * loaded only by that role (to register their commands in GatewayCommandRegistry).
 * Sessions are kept in GridFS (WhatsAppModule with `sessions: 'mongo'`) so that any node can
 * restore any connection. Needs the global platform modules (config, Mongo, Kafka, logs).
 */
@Module({
  imports: [
    ConnectionsModule,
    AccountStatusModule,
    WhatsAppModule.forRoot({ sessions: 'mongo' }),
    MongooseModule.forFeature([{ name: GatewayNodeDoc.name, schema: GatewayNodeSchema }]),
  ],
  providers: [
    GatewayNodeIdentity,
    GatewayNodeRepository,
    NodeLivenessService,
    GatewayCommandRegistry,
    ConnectionHandOff,
    ConnectionSupervisor,
    ConnectionCommandHandlers,
    GatewayNode,
    OutgoingTagStore,
    AccountSuspensionService,
  ],
  exports: [
    AccountStatusModule,
    GatewayCommandRegistry,
    ConnectionSupervisor,
    GatewayNode,
    GatewayNodeIdentity,
    NodeLivenessService,
    OutgoingTagStore,
  ],
})
export class GatewayModule {}
