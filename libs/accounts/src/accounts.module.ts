import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountController } from './account.controller';
import { AccountEventsProducer } from './account-events.producer';
import { AccountRepository } from './account.repository';
import { AccountDoc, AccountSchema } from './account.schema';
import { AccountsService } from './accounts.service';
import { AdminAccountsController } from './admin-accounts.controller';
import { AdminGuard } from './admin.guard';
import { AuthFailureLimiterService } from './auth-failure-limiter.service';
import { ApiKeyAuthService } from './api-key-auth.service';
import { ApiKeyGenerator } from './api-key.generator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyDoc, ApiKeySchema, ApiKeyUsageDoc, ApiKeyUsageSchema } from './api-key.schema';
import { PlanSlotRepository } from './plan-slot.repository';
import { PlanSlotDoc, PlanSlotSchema } from './plan-slot.schema';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiterService } from './rate-limiter.service';

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
  ],
  controllers: [AdminAccountsController, AccountController, ApiKeysController],
  providers: [
    AccountRepository,
    ApiKeyRepository,
    PlanSlotRepository,
    ApiKeyGenerator,
    AccountEventsProducer,
    AccountsService,
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
    ApiKeyAuthService,
    RateLimiterService,
    AuthFailureLimiterService,
    ApiKeyGuard,
    RateLimitGuard,
    AdminGuard,
  ],
})
export class AccountsModule {}
