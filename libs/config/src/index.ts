export * from './app-config';
export * from './config.loader';
export * from './config.module';
export { redactUrl } from './setting.parsers';
export * from './config-docs';
export * from './plan-limits.setting';
