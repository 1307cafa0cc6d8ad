import { Injectable } from '@nestjs/common';
import type { Principal } from '@wwb/accounts';
import { ConnectionsService, GatewayClient } from '@wwb/connections';
import { GATEWAY_COMMANDS } from '@wwb/contracts';
import { DomainError } from '@wwb/runtime';
import { normalizePhoneNumber } from '@wwb/whatsapp';
import { ContactCheckResultDto } from './contact-check.dto';

/**
 * `POST /v1/connections/:id/contacts/check`: asks the gateway that runs the connection whether a
 * number is on WhatsApp (request/reply: `gateway.contact.check`, answer in `gateway_replies`).
 */
@Injectable()
export class ContactCheckService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly gateway: GatewayClient,
  ) {}

  async check(principal: Principal, connectionId: string, phone: string): Promise<ContactCheckResultDto> {
    const connection = await this.connections.getForPrincipal(principal, connectionId);
    let digits: string;
    try {
      digits = normalizePhoneNumber(phone);
    } catch {
      throw DomainError.invalid(
        'invalid_phone',
        `not an international phone number: "${phone.slice(0, 32)}"`,
      );
    }
    const result = await this.gateway.request<{ registered: boolean; chatId: string | null }>(
      { id: connection.id, accountId: connection.accountId },
      GATEWAY_COMMANDS.contactCheck,
      { phone: digits },
    );
    return {
      phone: `+${digits}`,
      registered: result.registered,
      chatId: result.registered ? result.chatId : null,
    };
  }
}
