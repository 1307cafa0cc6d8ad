import { Injectable, OnModuleInit } from '@nestjs/common';
import { SentMessageLookupClient } from '@wwb/connections';
import { SendClaimRepository } from './send-claim.repository';

/** Lets the simulator's ack (connections) name a message by our id: its WhatsApp id comes from our links. */
@Injectable()
export class SentMessageLookupRegistrar implements OnModuleInit {
  constructor(
    private readonly lookup: SentMessageLookupClient,
    private readonly claims: SendClaimRepository,
  ) {}

  onModuleInit(): void {
    this.lookup.provide((scope, connectionId, messageId) =>
      this.claims.waMessageIdOf(scope, connectionId, messageId),
    );
  }
}
