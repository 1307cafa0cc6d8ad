export * from './app.logger';
export * from './metrics.registry';
export * from './observability.module';
