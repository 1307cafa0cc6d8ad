export * from './clock.service';
export * from './domain.error';
export * from './id.generator';
export * from './request-context';
export * from './runtime.module';
