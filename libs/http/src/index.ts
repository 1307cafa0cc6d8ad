export * from './errors';
export * from './health';
export * from './openapi';
export * from './requests';
export * from './http-app.configurer';
export * from './http-platform.module';
export * from './http-role.bootstrap';
export * from './page-query.dto';
