export * from './admin.guard';
export * from './auth.decorators';
export * from './auth-failure-limiter.service';
export * from './rate-limit.guard';
export * from './rate-limiter.service';
export * from './principal.model';
