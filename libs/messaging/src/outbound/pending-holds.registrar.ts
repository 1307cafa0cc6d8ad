import { Injectable, OnModuleInit } from '@nestjs/common';
import { ExternalHoldsStore } from '@wwb/infrastructure';
import { OutboundMessageRepository } from './outbound-message.repository';

/** Account usage counts the pendingMessages slots held on messages (@wwb/infrastructure's ExternalHoldsStore). */
@Injectable()
export class PendingHoldsRegistrar implements OnModuleInit {
  constructor(
    private readonly holds: ExternalHoldsStore,
    private readonly messages: OutboundMessageRepository,
  ) {}

  onModuleInit(): void {
    this.holds.register('pendingMessages', (accountIds) => this.messages.countHeld(accountIds));
  }
}
