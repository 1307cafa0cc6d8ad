import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import { scopeOf } from '@wwb/persistence';
import { isDomainError } from '@wwb/runtime';
import { AccountRepository } from '../account.repository';
import { isAdminKey } from '../auth/admin.guard';
import { AuthFailureLimiterService } from '../auth/auth-failure-limiter.service';
import { InvitationsService, normalizeEmail } from '../users/invitations.service';
import { PasswordService } from '../users/password.service';
import { UserRepository } from '../users/user.repository';
import {
  ConsoleSessionsService,
  OperatorSession,
  StartedSession,
  UserSession,
} from './console-sessions.service';

export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The email or the password is wrong');

/**
 * Signing in to the console: a user with email and password, the operator with ADMIN_API_KEY,
 * an invitee by accepting an invitation. Failures count per client address with the failed API
 * keys (AuthFailureLimiterService): over the budget, 429 too_many_auth_failures before any check.
 */
@Injectable()
export class ConsoleSignInService {
  private readonly adminKeyDigest: Buffer;

  constructor(
    config: AppConfig,
    private readonly users: UserRepository,
    private readonly accounts: AccountRepository,
    private readonly passwords: PasswordService,
    private readonly invitations: InvitationsService,
    private readonly sessions: ConsoleSessionsService,
    private readonly failures: AuthFailureLimiterService,
  ) {
    this.adminKeyDigest = createHash('sha256').update(config.auth.adminApiKey).digest();
  }

  /**
   * 401 invalid_credentials for an unknown email and for a wrong password alike, in comparable
   * time (an unknown email costs one scrypt too); 403 account_disabled only after the right password.
   */
  async signIn(
    input: { email: string; password: string },
    address: string,
  ): Promise<StartedSession<UserSession>> {
    this.throttle(address);
    const user = await this.users.findByEmail(normalizeEmail(input.email));
    const valid = user
      ? await this.passwords.verify(input.password, user.passwordHash)
      : await this.passwords.verifyNothing(input.password);
    if (!user || !valid) throw this.failed(address, invalidCredentials());
    const account = await this.accounts.get(scopeOf(user.accountId));
    if (!account) throw this.failed(address, invalidCredentials());
    if (account.disabled) throw new AppError(403, 'account_disabled', 'This account is disabled');
    return this.sessions.startUser(user);
  }

  /** The right key opens a session even from a throttled address, like AdminGuard (no operator lock-out). */
  async signInOperator(adminKey: string, address: string): Promise<StartedSession<OperatorSession>> {
    if (!isAdminKey(adminKey, this.adminKeyDigest)) {
      this.throttle(address);
      throw this.failed(address, new AppError(401, 'invalid_admin_key', 'A valid operator key is required'));
    }
    return this.sessions.startOperator();
  }

  /** An invitation token is a credential too: unknown ones count as failures. */
  async acceptInvitation(
    input: { token: string; name: string; password: string },
    address: string,
  ): Promise<StartedSession<UserSession>> {
    this.throttle(address);
    try {
      const user = await this.invitations.accept(input);
      return await this.sessions.startUser(user);
    } catch (err) {
      if (isDomainError(err) && err.code === 'invitation_not_found') this.failures.recordFailure(address);
      throw err;
    }
  }

  private throttle(address: string): void {
    const retryAfterSeconds = this.failures.retryAfterSeconds(address);
    if (retryAfterSeconds > 0) {
      throw new AppError(
        429,
        'too_many_auth_failures',
        'Too many failed sign-ins from this address; retry later',
        { retryAfterSeconds },
      );
    }
  }

  private failed(address: string, err: AppError): AppError {
    this.failures.recordFailure(address);
    return err;
  }
}
