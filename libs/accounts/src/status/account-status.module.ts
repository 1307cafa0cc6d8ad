import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountDoc, AccountSchema } from '../account.schema';
import { DisabledAccountsStore } from './disabled-accounts.store';

/**
 * Which accounts are disabled, for roles without the API's authentication (gateway, worker).
 * Reads the accounts collection only; no controllers.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: AccountDoc.name, schema: AccountSchema }])],
  providers: [DisabledAccountsStore],
  exports: [DisabledAccountsStore],
})
export class AccountStatusModule {}
