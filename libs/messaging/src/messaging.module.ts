import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MulterModule } from '@nestjs/platform-express';
import { AccountsModule } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { ConnectionsModule } from '@wwb/connections';
import { GatewayModule } from '@wwb/gateway';
import { allowMultipartBody } from '@wwb/http';
import { ChatQueryService } from './chat-query.service';
import { ChatsController } from './chats.controller';
import { ConnectionLookupService } from './connection-lookup.service';
import { ContactCheckService } from './contact-check.service';
import { ContactsController } from './contacts.controller';
import { CHAT_MESSAGE_MODEL, CHAT_MODEL, ChatMessageSchema, ChatSchema } from './conversation.schema';
import { ConversationRepository } from './conversation.repository';
import { ConversationsConsumer } from './conversations.consumer';
import { IDEMPOTENCY_RECORD_MODEL, IdempotencyRecordSchema } from './idempotency-record.schema';
import { IdempotencyRepository } from './idempotency.repository';
import { LEASE_MODEL, LeaseSchema } from './lease.schema';
import { LeaseRepository } from './lease.repository';
import { MEDIA_UPLOAD_PATH, MediaController } from './media.controller';
import { MediaStore } from './media.store';
import { MediaUploadErrorsInterceptor } from './media-upload.interceptor';
import { MediaUploadService } from './media-upload.service';
import { MediaUrlFetcher } from './media-url.fetcher';
import { MessageAcceptService } from './message-accept.service';
import { MessageCommandProducer } from './message-command.producer';
import { MessageQueryService } from './message-query.service';
import { MessageSendHandler } from './message-send.handler';
import { MessageSendRegistrar } from './message-send.registrar';
import {
  MESSAGE_LINK_MODEL,
  MESSAGE_SEND_MODEL,
  MessageLinkSchema,
  MessageSendSchema,
} from './message-send.schema';
import { MessageStatusConsumer } from './message-status.consumer';
import { MessageStatusProducer } from './message-status.producer';
import { MessagesController } from './messages.controller';
import {
  MESSAGE_REQUEUE_MODEL,
  MESSAGE_STATUS_MODEL,
  MessageRequeueSchema,
  MessageStatusSchema,
  OUTBOUND_MESSAGE_MODEL,
  OutboundMessageSchema,
} from './outbound-message.schema';
import { OutboundMessageRepository } from './outbound-message.repository';
import { OutboxSweeper } from './outbox.sweeper';
import { SendClaimRepository } from './send-claim.repository';

/** Every collection of messaging (mongoose model name and schema). */
export const MESSAGING_MODELS = [
  { name: OUTBOUND_MESSAGE_MODEL, schema: OutboundMessageSchema },
  { name: MESSAGE_STATUS_MODEL, schema: MessageStatusSchema },
  { name: MESSAGE_REQUEUE_MODEL, schema: MessageRequeueSchema },
  { name: MESSAGE_SEND_MODEL, schema: MessageSendSchema },
  { name: MESSAGE_LINK_MODEL, schema: MessageLinkSchema },
  { name: IDEMPOTENCY_RECORD_MODEL, schema: IdempotencyRecordSchema },
  { name: LEASE_MODEL, schema: LeaseSchema },
  { name: CHAT_MODEL, schema: ChatSchema },
  { name: CHAT_MESSAGE_MODEL, schema: ChatMessageSchema },
];
const models = MongooseModule.forFeature(MESSAGING_MODELS);

/** Multer for POST /v1/media: memory storage, one file of at most MEDIA_MAX_BYTES. */
const multer = MulterModule.registerAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    limits: { fileSize: config.media.maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 64 * 1024 },
  }),
});

@Module({})
class MessagingApiModule {}

@Module({})
class MessagingWorkerModule {}

@Module({})
class MessagingGatewayModule {}

/**
 * Messaging: sending (accept, queue, send at most once, statuses from acks), media uploads in
 * GridFS, conversations (chats and messages from the events topic) and number checks. One module,
 * composed per process role:
 * - `forApi()`: POST /v1/media, POST/GET /v1/connections/:id/messages, chats, contacts/check;
 * - `forWorker()`: consumer groups `message-status` (acks -> statuses) and `conversations`, and
 *   the sweeper that re-publishes messages stuck in queued (one node at a time, Mongo lease);
 * - `forGateway()`: MessageSendHandler, registered in the gateway's GatewayCommandRegistry for
 *   `gateway.message.send` (import it in the gateway role only: it imports GatewayModule).
 * Needs the global config, runtime, observability, persistence and Kafka modules.
 */
@Module({})
export class MessagingModule {
  static forApi(): DynamicModule {
    allowMultipartBody(MEDIA_UPLOAD_PATH);
    return {
      module: MessagingApiModule,
      imports: [models, multer, ConnectionsModule, AccountsModule],
      controllers: [MediaController, MessagesController, ChatsController, ContactsController],
      providers: [
        MediaStore,
        MediaUrlFetcher,
        MediaUploadService,
        MediaUploadErrorsInterceptor,
        OutboundMessageRepository,
        IdempotencyRepository,
        ConversationRepository,
        MessageCommandProducer,
        ConnectionLookupService,
        MessageAcceptService,
        MessageQueryService,
        ChatQueryService,
        ContactCheckService,
      ],
    };
  }

  static forWorker(options: { sweeper?: boolean } = {}): DynamicModule {
    return {
      module: MessagingWorkerModule,
      imports: [models],
      providers: [
        OutboundMessageRepository,
        SendClaimRepository,
        IdempotencyRepository,
        LeaseRepository,
        ConversationRepository,
        MessageCommandProducer,
        MessageStatusConsumer,
        ConversationsConsumer,
        ...(options.sweeper === false ? [] : [OutboxSweeper]),
      ],
      exports: [OutboxSweeper, ConversationsConsumer, MessageStatusConsumer].filter(
        (p) => options.sweeper !== false || p !== OutboxSweeper,
      ),
    };
  }

  static forGateway(): DynamicModule {
    return {
      module: MessagingGatewayModule,
      imports: [models, GatewayModule],
      providers: [
        MediaStore,
        OutboundMessageRepository,
        SendClaimRepository,
        MessageStatusProducer,
        MessageSendHandler,
        MessageSendRegistrar,
      ],
      exports: [MessageSendHandler],
    };
  }
}
