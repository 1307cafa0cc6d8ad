export * from './message-status.consumer';
