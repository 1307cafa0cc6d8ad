import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { AccountScope, scopeOf } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { AccountRepository } from '../account.repository';
import { AccountsService } from '../accounts.service';
import type { UserRole } from '../auth/role.policy';
import { hashToken, looksLikeToken, newToken } from '../sessions/session-token.policy';
import { InvitationRepository } from './invitation.repository';
import type { InvitationRecord } from './invitation.schema';
import { assertStrongPassword, PasswordService } from './password.service';
import { UserRepository } from './user.repository';
import type { UserRecord } from './user.schema';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;
export const INVITATION_ID_PATTERN = /^inv_[0-9A-HJKMNP-TV-Z]{26}$/;
export const ACCEPT_INVITATION_PATH = '/console/accept-invitation';

export const invitationNotFound = () => DomainError.notFound('Invitation', 'invitation_not_found');
export const userExists = (email: string) =>
  DomainError.conflict('user_exists', `${email} is already a console user; sign in instead`, {
    field: 'email',
  });

/** Emails are compared and stored lower-cased: one person, one user, however they type it. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export interface IssuedInvitation {
  record: InvitationRecord;
  /** Shown once: only its hash is stored. */
  token: string;
  acceptUrl: string;
}

/**
 * Invitations: an account admin invites an email with a role, the invitee sets a name and a
 * password and becomes a user. A pending invitation holds a `users` plan slot (users plus pending
 * invitations are limited per plan), which the user keeps on acceptance.
 */
@Injectable()
export class InvitationsService {
  private readonly baseUrl: string;

  constructor(
    config: AppConfig,
    private readonly invitations: InvitationRepository,
    private readonly users: UserRepository,
    private readonly accounts: AccountsService,
    private readonly accountRecords: AccountRepository,
    private readonly passwords: PasswordService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {
    this.baseUrl = config.http.publicBaseUrl.replace(/\/+$/, '');
  }

  /**
   * Invites `email` (409 user_exists when it is a user of this account already; 403
   * plan_limit_exceeded when the plan has no room). A new invitation for an email replaces the
   * pending one, so that resending never needs a second slot.
   */
  async invite(scope: AccountScope, input: { email: string; role: UserRole }): Promise<IssuedInvitation> {
    const email = normalizeEmail(input.email);
    const now = this.clock.now();
    await this.dropStale(scope, now, email);
    const existing = await this.users.findByEmail(email);
    // A user of another account is not named here (it would tell one tenant about another's
    // people); accepting will answer 409 user_exists to the invitee.
    if (existing && existing.accountId === scope.accountId) throw userExists(email);
    const id = this.ids.prefixed('inv');
    await this.accounts.reserve(scope, 'users', id);
    const token = newToken();
    const record: InvitationRecord = {
      _id: id,
      accountId: scope.accountId,
      email,
      role: input.role,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    };
    try {
      await this.invitations.insert(scope, record);
    } catch (err) {
      await this.accounts.release(scope, 'users', id);
      throw err;
    }
    const acceptUrl = `${this.baseUrl}${ACCEPT_INVITATION_PATH}?token=${encodeURIComponent(token)}`;
    return { record, token, acceptUrl };
  }

  /** The invitations not accepted nor expired, oldest first. */
  async pending(scope: AccountScope): Promise<InvitationRecord[]> {
    return this.dropStale(scope, this.clock.now());
  }

  /** Withdraws a pending invitation (404 for an unknown one or another account's). */
  async revoke(scope: AccountScope, id: string): Promise<void> {
    if (!INVITATION_ID_PATTERN.test(id)) throw DomainError.notFound('Invitation');
    const removed = await this.invitations.remove(scope, id);
    if (!removed) throw DomainError.notFound('Invitation');
    await this.accounts.release(scope, 'users', id);
  }

  /**
   * Makes the invitee a user: 404 invitation_not_found for a token that is unknown, expired or
   * used; 400 weak_password; 409 user_exists when the email became a user meanwhile (here or in
   * another account); 403 account_disabled.
   */
  async accept(input: { token: string; name: string; password: string }): Promise<UserRecord> {
    if (!looksLikeToken(input.token)) throw invitationNotFound();
    const invitation = await this.invitations.findByTokenHash(hashToken(input.token));
    const now = this.clock.now();
    if (!invitation || invitation.expiresAt <= now) throw invitationNotFound();
    assertStrongPassword(input.password);
    const scope = scopeOf(invitation.accountId);
    const account = await this.accountRecords.get(scope);
    if (!account) throw invitationNotFound();
    if (account.disabled) throw new DomainError('forbidden', 'account_disabled', 'This account is disabled');
    const user: UserRecord = {
      _id: this.ids.prefixed('usr'),
      accountId: scope.accountId,
      email: invitation.email,
      name: input.name.trim(),
      role: invitation.role,
      passwordHash: await this.passwords.hash(input.password),
      slotHolderId: invitation._id,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.users.insert(scope, user))) throw userExists(invitation.email);
    // The slot the invitation held is the user's now (slotHolderId): delete without releasing.
    await this.invitations.remove(scope, invitation._id);
    return user;
  }

  /**
   * Deletes the account's expired invitations (and the pending one of `replacing`), giving
   * their slots back; returns the rest. An account has few invitations: reading them all is cheap.
   */
  private async dropStale(scope: AccountScope, now: Date, replacing?: string): Promise<InvitationRecord[]> {
    const kept: InvitationRecord[] = [];
    for (const invitation of await this.invitations.all(scope)) {
      if (invitation.expiresAt > now && invitation.email !== replacing) {
        kept.push(invitation);
        continue;
      }
      if (await this.invitations.remove(scope, invitation._id)) {
        await this.accounts.release(scope, 'users', invitation._id);
      }
    }
    return kept;
  }
}
