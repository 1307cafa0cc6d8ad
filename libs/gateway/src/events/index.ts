export { BRIDGED_EVENT_TYPES } from './driver-event.mapper';
export { OutgoingTagStore } from './outgoing-tag.store';
export type { OutgoingTag } from './outgoing-tag.store';
