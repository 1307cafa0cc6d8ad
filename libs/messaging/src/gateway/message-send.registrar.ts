import { Injectable, OnModuleInit } from '@nestjs/common';
import { GATEWAY_COMMANDS } from '@wwb/contracts';
import { GatewayCommandRegistry } from '@wwb/gateway';
import { MessageSendHandler } from './message-send.handler';

/** Plugs MessageSendHandler into the gateway: `gateway.message.send` commands reach it with their session. */
@Injectable()
export class MessageSendRegistrar implements OnModuleInit {
  constructor(
    private readonly registry: GatewayCommandRegistry,
    private readonly handler: MessageSendHandler,
  ) {}

  onModuleInit(): void {
    this.registry.register(GATEWAY_COMMANDS.messageSend, (command, session) =>
      this.handler.handle(command, session),
    );
  }
}
