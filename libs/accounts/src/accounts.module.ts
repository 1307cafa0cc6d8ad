import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QuotasModule, WindowCountsModule } from '@wwb/infrastructure';
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

/**
 * Accounts, plans, API keys, API-key and operator authentication, per-key rate limits.
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
    ]),
    // Rate-limit and failed-authentication counts shared between API processes.
    WindowCountsModule,
    // Quota slots and usage counters: per-account limits of things held for a while, media bytes.
    QuotasModule,
  ],
  controllers: [AdminAccountsController, AccountController, ApiKeysController],
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
    ApiKeyGuard,
    RateLimitGuard,
    AdminGuard,
  ],
})
export class AccountsModule {}
