import { Injectable } from '@nestjs/common';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError } from '@wwb/runtime';
import { AccountsService } from '../accounts.service';
import type { UserRole } from '../auth/role.policy';
import { ConsoleSessionsService } from '../sessions/console-sessions.service';
import { UserRepository } from './user.repository';
import type { UserRecord } from './user.schema';

export const USER_ID_PATTERN = /^usr_[0-9A-HJKMNP-TV-Z]{26}$/;
const userNotFound = () => DomainError.notFound('User');

/**
 * 409 last_admin: the account's last admin may not be demoted or removed, or nobody could manage
 * its people and keys from the console any more.
 */
export const lastAdmin = () =>
  DomainError.conflict('last_admin', 'This is the last admin of the account; make another user admin first');

/** The console users of an account: listed, given another role, removed. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly accounts: AccountsService,
    private readonly sessions: ConsoleSessionsService,
    private readonly clock: Clock,
  ) {}

  list(scope: AccountScope): Promise<UserRecord[]> {
    return this.users.list(scope);
  }

  /** A new role ends the user's sessions: they sign in again and the console shows what the role allows. */
  async changeRole(scope: AccountScope, id: string, role: UserRole): Promise<UserRecord> {
    if (!USER_ID_PATTERN.test(id)) throw userNotFound();
    const current = await this.users.get(scope, id);
    if (!current) throw userNotFound();
    if (current.role === role) return current;
    if (current.role === 'admin') await this.keepAnAdmin(scope);
    const updated = await this.users.setRole(scope, id, role, this.clock.now());
    if (!updated) throw userNotFound();
    await this.sessions.endUser(scope, id);
    return updated;
  }

  /** Removes a user; its sessions end at once and its plan slot is given back. */
  async remove(scope: AccountScope, id: string): Promise<void> {
    if (!USER_ID_PATTERN.test(id)) throw userNotFound();
    const current = await this.users.get(scope, id);
    if (!current) throw userNotFound();
    if (current.role === 'admin') await this.keepAnAdmin(scope);
    const removed = await this.users.remove(scope, id);
    if (!removed) throw userNotFound();
    await this.sessions.endUser(scope, id);
    await this.accounts.release(scope, 'users', removed.slotHolderId);
  }

  /**
   * Before an admin stops being one. Two admins demoted at the same instant could both pass (the
   * count is read, not locked); people do this by hand, one at a time, so that is left open.
   */
  private async keepAnAdmin(scope: AccountScope): Promise<void> {
    if ((await this.users.countWithRole(scope, 'admin')) <= 1) throw lastAdmin();
  }
}
