export * from './scheduled-message.schema';
export * from './scheduled-message.repository';
export * from './schedule-message.service';
export * from './scheduled-messages.service';
export * from './scheduled-messages.controller';
export * from './scheduled-message.dto';
export * from './scheduled-send.runner';
export * from './send-at.policy';
