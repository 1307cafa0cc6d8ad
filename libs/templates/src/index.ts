export * from './templates.module';
