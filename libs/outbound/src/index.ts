export * from './network.policy';
