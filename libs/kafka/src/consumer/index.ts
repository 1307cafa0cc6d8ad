export * from './consumer.errors';
export * from './consumer.types';
export * from './consumer.runner';
export * from './retry.policy';
export * from './dead-letter.producer';
