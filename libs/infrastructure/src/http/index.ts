export * from './checked-lookup.policy';
export * from './outbound-http.errors';
export * from './outbound-http.client';
