import { Injectable, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { GATEWAY_COMMANDS } from '@wwb/contracts';
import { ConnectionReadySignal, GATEWAY_SIGNALS, GatewayCommandRegistry } from '@wwb/gateway';
import { CampaignDispatchRunner } from './campaign-dispatch.runner';

/**
 * Plugs campaign dispatch into the gateway: `gateway.campaign.dispatch` (a new share of a run
 * for a connection running here) starts or wakes the connection's loop and is acknowledged at
 * once (the share is in Mongo; the loop sends it over hours if pacing says so); a connection
 * turning ready here (a restart, a hand-over) resumes whatever shares it still has.
 */
@Injectable()
export class CampaignDispatchRegistrar implements OnModuleInit {
  constructor(
    private readonly registry: GatewayCommandRegistry,
    private readonly runner: CampaignDispatchRunner,
  ) {}

  onModuleInit(): void {
    this.registry.register(GATEWAY_COMMANDS.campaignDispatch, async (_command, session) => {
      this.runner.ensure(session.connectionId, session.accountId);
    });
  }

  @OnEvent(GATEWAY_SIGNALS.connectionReady)
  onReady(signal: ConnectionReadySignal): void {
    this.runner.ensure(signal.connectionId, signal.accountId);
  }
}
