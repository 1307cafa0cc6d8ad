import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LeasedJobsModule, QuotasModule, WindowCountsModule } from '@wwb/infrastructure';
import { AccountController } from './account.controller';
import { AccountQuotaService } from './plans/account-quota.service';
import { AccountUsageService } from './plans/account-usage.service';
import { PlanCatalog } from './plans/plan.catalog';
import { AccountEventsProducer } from './account-events.producer';
import { AccountRepository } from './account.repository';
import { AccountDoc, AccountSchema } from './account.schema';
import { AccountsService } from './accounts.service';
import { AdminAccountsController } from './admin-accounts.controller';
import { AdminGuard } from './auth/admin.guard';
import { AuthFailureLimiterService } from './auth/auth-failure-limiter.service';
import { ApiKeyAuthService } from './keys/api-key-auth.service';
import { ApiKeyGenerator } from './keys/api-key.generator';
import { ApiKeyGuard } from './keys/api-key.guard';
import { ApiKeyRepository } from './keys/api-key.repository';
import { ApiKeyDoc, ApiKeySchema, ApiKeyUsageDoc, ApiKeyUsageSchema } from './keys/api-key.schema';
import { PlanSlotRepository } from './plans/plan-slot.repository';
import { PlanSlotDoc, PlanSlotSchema } from './plans/plan-slot.schema';
import { ApiKeysController } from './keys/api-keys.controller';
import { ApiKeysService } from './keys/api-keys.service';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { RateLimiterService } from './auth/rate-limiter.service';
import { ConsoleSessionController } from './sessions/console-session.controller';
import { ConsoleCleanupRunner } from './sessions/console-cleanup.runner';
import { ConsoleSessionsService } from './sessions/console-sessions.service';
import { ConsoleSignInService } from './sessions/console-sign-in.service';
import { SessionRepository } from './sessions/session.repository';
import { SessionRequestService } from './sessions/session-request.service';
import { CredentialCheckService } from './sessions/credential-check.service';
import { ConsoleSessionDoc, ConsoleSessionSchema } from './sessions/session.schema';
import { InvitationRepository } from './users/invitation.repository';
import { UserInvitationDoc, UserInvitationSchema } from './users/invitation.schema';
import { InvitationsService } from './users/invitations.service';
import { PasswordService } from './users/password.service';
import { UserRepository } from './users/user.repository';
import { UserDoc, UserSchema } from './users/user.schema';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

/**
 * Accounts, plans, API keys, API-key and operator authentication, per-key rate limits, console
 * users (invitations, roles) and their cookie sessions, which the same guards accept.
 * Needs the global config, runtime, observability, persistence and Kafka modules.
 * Other domain modules import it for ApiKeyAuth / AdminAuth and for
 * AccountsService.reserveConnection() / releaseConnection().
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AccountDoc.name, schema: AccountSchema },
      { name: ApiKeyDoc.name, schema: ApiKeySchema },
      { name: ApiKeyUsageDoc.name, schema: ApiKeyUsageSchema },
      { name: PlanSlotDoc.name, schema: PlanSlotSchema },
      { name: UserDoc.name, schema: UserSchema },
      { name: UserInvitationDoc.name, schema: UserInvitationSchema },
      { name: ConsoleSessionDoc.name, schema: ConsoleSessionSchema },
    ]),
    // Rate-limit and failed-authentication counts shared between API processes.
    WindowCountsModule,
    // Quota slots and usage counters: per-account limits of things held for a while, media bytes.
    QuotasModule,
    // The hourly cleanup of expired console sessions and invitations, on one process at a time.
    LeasedJobsModule,
  ],
  controllers: [
    AdminAccountsController,
    AccountController,
    ApiKeysController,
    UsersController,
    ConsoleSessionController,
  ],
  providers: [
    AccountRepository,
    ApiKeyRepository,
    PlanSlotRepository,
    ApiKeyGenerator,
    AccountEventsProducer,
    AccountsService,
    PlanCatalog,
    AccountUsageService,
    AccountQuotaService,
    ApiKeysService,
    ApiKeyAuthService,
    RateLimiterService,
    AuthFailureLimiterService,
    UserRepository,
    InvitationRepository,
    SessionRepository,
    PasswordService,
    ConsoleSessionsService,
    SessionRequestService,
    CredentialCheckService,
    ConsoleSignInService,
    ConsoleCleanupRunner,
    InvitationsService,
    UsersService,
    ApiKeyGuard,
    RateLimitGuard,
    AdminGuard,
  ],
  exports: [
    AccountsService,
    PlanCatalog,
    AccountQuotaService,
    QuotasModule,
    ApiKeyAuthService,
    RateLimiterService,
    AuthFailureLimiterService,
    SessionRequestService,
    CredentialCheckService,
    ApiKeyGuard,
    RateLimitGuard,
    AdminGuard,
  ],
})
export class AccountsModule {}
