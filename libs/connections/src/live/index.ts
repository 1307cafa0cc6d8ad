export { ConnectionEventsFeed } from './connection-events.feed';
export { EventStreamPolicy } from './event-stream.policy';
export { EventStreamRunner } from './event-stream.runner';
