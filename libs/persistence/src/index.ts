export * from './persistence.module';
export * from './mongo.health';
export * from './account-scope';
