export * from './chat-query.service';
export * from './chat.dto';
export * from './chats.controller';
export * from './conversation.reducer';
export * from './conversation.repository';
export * from './conversation.schema';
export * from './conversations.consumer';
export * from './page-query.dto';
