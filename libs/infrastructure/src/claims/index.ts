export * from './claim.schema';
export * from './claim.store';
