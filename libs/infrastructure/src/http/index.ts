export * from './checked-lookup.policy';
export * from './outbound-http.errors';
export * from './outbound-http.client';
export { cachingResolver } from './host-resolution.store';
export type { HostResolutionOptions } from './host-resolution.store';
