import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@wwb/contracts';
import type { WhatsAppDriver } from '@wwb/whatsapp';

/** The connection a command is for, as the gateway that owns it runs it. */
export interface GatewaySession {
  connectionId: string;
  accountId: string;
  /**
   * The connection's driver. When the connection should run, it is the running driver (maybe
   * still starting: wait with `driver.waitForStatus('ready', ms)`); when it should not run here
   * (stopped, logged out, deleted), a stand-in whose operations fail with `not_ready`.
   */
  driver: WhatsAppDriver;
}

/**
 * Handles one command. Throwing retries the command (ConsumerRunner rules: PermanentError
 * dead-letters it at once), so a handler must be idempotent: commands are delivered at least
 * once, again after a crash or a hand-off.
 */
export type GatewayCommandHandler = (command: EventEnvelope, session: GatewaySession) => Promise<void>;

/**
 * Where features plug their gateway commands in: `register(type, handler)` from the
 * `onModuleInit` of a provider in a module that imports GatewayModule (only the gateway role
 * should import it). Connection lifecycle commands are built in.
 */
@Injectable()
export class GatewayCommandRegistry {
  private readonly handlers = new Map<string, GatewayCommandHandler>();

  register(type: string, handler: GatewayCommandHandler): void {
    if (!type.startsWith('gateway.'))
      throw new Error(`gateway command types start with "gateway." (${type})`);
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, handler);
  }

  get(type: string): GatewayCommandHandler | undefined {
    return this.handlers.get(type);
  }

  get types(): string[] {
    return [...this.handlers.keys()];
  }
}
