export * from './plan.value-object';
export * from './plan.catalog';
export * from './plan-slot.repository';
export * from './plan-slot.schema';
export * from './quota.policy';
export * from './account-quota.service';
export * from './account-usage.service';
