import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DisabledAccountsChange, DisabledAccountsStore } from '@wwb/accounts';
import { AppLogger } from '@wwb/observability';
import { ConnectionSupervisor } from './connection.supervisor';

/** The status reason of a connection stopped because its account was disabled. */
export const ACCOUNT_DISABLED_REASON = 'account disabled';

/**
 * Disabling an account stops its sessions on every gateway (each node stops the ones it runs,
 * keeping them linked: status `stopped`, reason `account disabled`); re-enabling starts them
 * again without a new QR code. The supervisor itself never starts a disabled account's
 * connection (reconciliation, commands), so a node that missed the change heals at its next
 * reconciliation.
 */
@Injectable()
export class AccountSuspensionService implements OnModuleInit {
  private readonly logger: Logger;

  constructor(
    private readonly accounts: DisabledAccountsStore,
    private readonly supervisor: ConnectionSupervisor,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'AccountSuspension' });
  }

  onModuleInit(): void {
    this.accounts.onChange((change) => this.apply(change));
  }

  async apply(change: DisabledAccountsChange): Promise<void> {
    if (change.disabled.length) {
      const disabled = new Set(change.disabled);
      const stopping = this.supervisor.running.filter((id) => {
        const accountId = this.supervisor.runtime(id)?.accountId;
        return accountId !== undefined && disabled.has(accountId);
      });
      await Promise.all(stopping.map((id) => this.supervisor.stop(id, ACCOUNT_DISABLED_REASON)));
      if (stopping.length)
        this.logger.info({ connections: stopping.length }, 'sessions of disabled accounts stopped');
    }
    if (change.enabled.length) await this.supervisor.reconcile();
  }
}
