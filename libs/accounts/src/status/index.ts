export * from './account-status.module';
export * from './disabled-accounts.store';
