import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MulterModule } from '@nestjs/platform-express';
import { AccountsModule } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { ConnectionsModule } from '@wwb/connections';
import { GatewayModule } from '@wwb/gateway';
import { allowMultipartBody } from '@wwb/http';
import { LeasedJobsModule, QuotasModule } from '@wwb/infrastructure';
import { ContactCheckService, ContactsController } from './contacts';
import {
  CHAT_MESSAGE_MODEL,
  CHAT_MODEL,
  ChatMessageSchema,
  ChatQueryService,
  ChatSchema,
  ChatsController,
  ConversationRepository,
  ConversationsConsumer,
} from './conversations';
import {
  MESSAGE_LINK_MODEL,
  MESSAGE_SEND_MODEL,
  MessageLinkSchema,
  MessageSendHandler,
  MessageSendRegistrar,
  MessageSendSchema,
  MessageStatusProducer,
  ParkedSendsService,
  SendClaimRepository,
  SentMessageLookupRegistrar,
} from './gateway';
import {
  MEDIA_UPLOAD_PATH,
  MediaController,
  MediaRetentionRunner,
  MediaStore,
  MediaUploadErrorsInterceptor,
  MediaUploadService,
} from './media';
import {
  MESSAGE_REQUEUE_MODEL,
  MESSAGE_STATUS_MODEL,
  MessageRequeueSchema,
  MessageStatusSchema,
  OUTBOUND_MESSAGE_MODEL,
  OutboundMessageRepository,
  OutboundMessageSchema,
  PendingHoldsRegistrar,
  QuotaUpkeepRunner,
} from './outbound';
import {
  ConnectionLookupService,
  IDEMPOTENCY_RECORD_MODEL,
  IdempotencyRecordSchema,
  IdempotencyRepository,
  MediaUrlFetcher,
  MessageCommandProducer,
  MessageQueryService,
  MessagesController,
  OutboxSweeper,
  SendMessageUseCase,
  SendQuotaService,
} from './send';
import {
  SCHEDULED_MESSAGE_ACTION_MODEL,
  SCHEDULED_MESSAGE_MODEL,
  ScheduledMessageActionSchema,
  ScheduledMessageRepository,
  ScheduledMessageSchema,
  ScheduledMessagesController,
  ScheduledMessagesService,
  ScheduledSendRunner,
  ScheduleMessageUseCase,
} from './scheduled';
import { MessageOutcomeService } from './outcomes';
import { MessageStatusConsumer } from './statuses';

/** Every collection of messaging (mongoose model name and schema). */
export const MESSAGING_MODELS = [
  { name: OUTBOUND_MESSAGE_MODEL, schema: OutboundMessageSchema },
  { name: MESSAGE_STATUS_MODEL, schema: MessageStatusSchema },
  { name: MESSAGE_REQUEUE_MODEL, schema: MessageRequeueSchema },
  { name: MESSAGE_SEND_MODEL, schema: MessageSendSchema },
  { name: MESSAGE_LINK_MODEL, schema: MessageLinkSchema },
  { name: IDEMPOTENCY_RECORD_MODEL, schema: IdempotencyRecordSchema },
  { name: CHAT_MODEL, schema: ChatSchema },
  { name: CHAT_MESSAGE_MODEL, schema: ChatMessageSchema },
  { name: SCHEDULED_MESSAGE_MODEL, schema: ScheduledMessageSchema },
  { name: SCHEDULED_MESSAGE_ACTION_MODEL, schema: ScheduledMessageActionSchema },
];
const collections = MongooseModule.forFeature(MESSAGING_MODELS);

@Module({})
class MessagingStoreModule {}

/**
 * Messaging's collections plus the quota slots and usage counters (@wwb/infrastructure) that
 * pending messages, media fetches and stored media bytes are counted with, in every role.
 */
const models: DynamicModule = {
  module: MessagingStoreModule,
  imports: [collections, QuotasModule],
  exports: [collections, QuotasModule],
};

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
class MessagingSendingModule {}

@Module({})
class MessagingWorkerModule {}

@Module({})
class MessagingGatewayModule {}

@Module({})
class MessagingOutcomesModule {}

/**
 * Messaging: sending (accept, queue, send at most once, statuses from acks), media uploads in
 * GridFS, conversations (chats and messages from the events topic) and number checks. One module,
 * composed per process role:
 * - `sending()`: exports SendMessageUseCase, the one way to send a message, for any role (the
 *   API's controller, the worker's automation consumers); the worker's `forWorker()` sweeper
 *   re-publishes what it stored if the publish after storing failed;
 * - `forApi()`: POST /v1/media, POST/GET /v1/connections/:id/messages, chats, contacts/check, and
 *   the lookup that lets the simulator's ack name a message by our id;
 * - `forWorker()`: consumer groups `message-status` (acks -> statuses) and `conversations`, the
 *   sweeper that re-publishes messages stuck in queued, and the runner that sends scheduled
 *   messages when their sendAt comes (each one node at a time, Mongo lease);
 * - `forGateway()`: MessageSendHandler, registered in the gateway's GatewayCommandRegistry for
 *   `gateway.message.send` (import it in the gateway role only: it imports GatewayModule).
 * Needs the global config, runtime, observability, persistence and Kafka modules.
 */
@Module({})
export class MessagingModule {
  static sending(): DynamicModule {
    return {
      module: MessagingSendingModule,
      imports: [models, ConnectionsModule],
      providers: [
        MediaStore,
        MediaUrlFetcher,
        OutboundMessageRepository,
        IdempotencyRepository,
        MessageCommandProducer,
        ConnectionLookupService,
        SendQuotaService,
        SendMessageUseCase,
      ],
      exports: [SendMessageUseCase],
    };
  }

  /** MessageOutcomeService: where messages sent through us stand (reports of other features). */
  static outcomes(): DynamicModule {
    return {
      module: MessagingOutcomesModule,
      imports: [models],
      providers: [OutboundMessageRepository, MessageOutcomeService],
      exports: [MessageOutcomeService],
    };
  }

  static forApi(): DynamicModule {
    allowMultipartBody(MEDIA_UPLOAD_PATH);
    return {
      module: MessagingApiModule,
      imports: [models, multer, ConnectionsModule, AccountsModule, MessagingModule.sending()],
      controllers: [
        MediaController,
        MessagesController,
        ScheduledMessagesController,
        ChatsController,
        ContactsController,
      ],
      providers: [
        MediaStore,
        ConnectionLookupService,
        IdempotencyRepository,
        SendQuotaService,
        ScheduledMessageRepository,
        ScheduleMessageUseCase,
        ScheduledMessagesService,
        MediaUploadService,
        MediaUploadErrorsInterceptor,
        OutboundMessageRepository,
        PendingHoldsRegistrar,
        ConversationRepository,
        MessageQueryService,
        ChatQueryService,
        ContactCheckService,
        SendClaimRepository,
        SentMessageLookupRegistrar,
      ],
    };
  }

  static forWorker(options: { sweeper?: boolean } = {}): DynamicModule {
    return {
      module: MessagingWorkerModule,
      imports: [models, LeasedJobsModule, AccountsModule, MessagingModule.sending()],
      providers: [
        ScheduledMessageRepository,
        SendQuotaService,
        MessageStatusProducer,
        ScheduledSendRunner,
        OutboundMessageRepository,
        SendClaimRepository,
        IdempotencyRepository,
        ConversationRepository,
        MessageCommandProducer,
        MessageStatusConsumer,
        ConversationsConsumer,
        ...(options.sweeper === false ? [] : [OutboxSweeper]),
        MediaStore,
        MediaRetentionRunner,
        QuotaUpkeepRunner,
      ],
      exports: [
        OutboxSweeper,
        ConversationsConsumer,
        MessageStatusConsumer,
        MediaRetentionRunner,
        QuotaUpkeepRunner,
        ScheduledSendRunner,
      ].filter((p) => options.sweeper !== false || p !== OutboxSweeper),
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
        MessageCommandProducer,
        ParkedSendsService,
      ],
      exports: [MessageSendHandler],
    };
  }
}
