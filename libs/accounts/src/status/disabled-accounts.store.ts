import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Logger } from 'pino';
import { AppLogger } from '@wwb/observability';
import { AccountDoc } from '../account.schema';

/** How often the set of disabled accounts is read again (the delay before a disable bites here). */
export const DISABLED_ACCOUNTS_REFRESH_MS = 3_000;

/** What a refresh changed. */
export interface DisabledAccountsChange {
  /** Accounts disabled since the previous refresh. */
  disabled: string[];
  /** Accounts re-enabled since the previous refresh. */
  enabled: string[];
}

type Listener = (change: DisabledAccountsChange) => void | Promise<void>;

/**
 * Which accounts are disabled, for the roles that act for an account without an API request:
 * the gateway (sessions, sends) and the webhook dispatcher. The API refuses a disabled account's
 * keys itself (ApiKeyAuthService); these roles read the `accounts` collection every
 * DISABLED_ACCOUNTS_REFRESH_MS (a few hundred small documents: no index needed) and answer from
 * memory on their hot paths. Listeners hear of each change, once per refresh.
 */
@Injectable()
export class DisabledAccountsStore implements OnApplicationBootstrap, OnModuleDestroy {
  private disabled = new Set<string>();
  private readonly listeners: Listener[] = [];
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<DisabledAccountsChange>;
  private readonly logger: Logger;

  constructor(
    @InjectModel(AccountDoc.name) private readonly accounts: Model<AccountDoc>,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'DisabledAccounts' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch((err: unknown) =>
      this.logger.warn({ err }, 'could not read disabled accounts'),
    );
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'could not read disabled accounts'));
    }, DISABLED_ACCOUNTS_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  isDisabled(accountId: string): boolean {
    return this.disabled.has(accountId);
  }

  /** Called after each refresh that changed something (register from an onModuleInit). */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Reads the disabled accounts again and tells the listeners what changed. */
  refresh(): Promise<DisabledAccountsChange> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<DisabledAccountsChange> {
    const rows = await this.accounts.find({ disabled: true }, { _id: 1 }).lean<{ _id: string }[]>();
    const now = new Set(rows.map((r) => r._id));
    const change: DisabledAccountsChange = {
      disabled: [...now].filter((id) => !this.disabled.has(id)),
      enabled: [...this.disabled].filter((id) => !now.has(id)),
    };
    this.disabled = now;
    if (change.disabled.length || change.enabled.length) {
      this.logger.info(change, 'disabled accounts changed');
      for (const listener of this.listeners) {
        try {
          await listener(change);
        } catch (err) {
          this.logger.error({ err }, 'a disabled-accounts listener failed');
        }
      }
    }
    return change;
  }
}
