export * from './message-outcome.service';
