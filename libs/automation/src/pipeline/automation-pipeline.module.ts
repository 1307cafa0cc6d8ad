import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '@wwb/config';
import { ContactsModule } from '@wwb/contacts';
import { FaqBotsModule } from '@wwb/faq-bots';
import { OutboundHttpClient } from '@wwb/infrastructure';
import { MessagingModule } from '@wwb/messaging';
import { TemplatesModule } from '@wwb/templates';
import { RulesModule } from '../rules';
import { AutomationEventsProducer } from './automation-events.producer';
import { AutomationReplyService } from './automation-reply.service';
import { AutomationConsumer } from './automation.consumer';
import { ChatGuardPolicy } from './chat-guard.policy';
import { ChatHandoffService } from './chat-handoff.service';
import { CHAT_STATE_MODEL, ChatStateSchema } from './chat-state.schema';
import { ChatStateStore } from './chat-state.store';
import { FaqAnswerService } from './faq-answer.service';
import {
  HTTP_ACTION_MAX_RESPONSE_BYTES,
  HTTP_ACTION_TIMEOUT_MS,
  HttpActionClient,
} from './http-action.client';
import { InboundAutomationService } from './inbound-automation.service';
import { RuleActionsRunner } from './rule-actions.runner';
import { SIGNING_SECRET_MODEL, SigningSecretSchema } from './signing-secret.schema';
import { SigningSecretStore } from './signing-secret.store';

/**
 * The inbound pipeline (consumer group `automation`) and what it needs: contacts and opt-outs,
 * compiled rules, templates, FAQ bots, and the send use case. Rule HTTP actions reach private
 * networks only where WEBHOOK_ALLOWED_NETWORKS allows webhooks to (they are signed like them).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CHAT_STATE_MODEL, schema: ChatStateSchema },
      { name: SIGNING_SECRET_MODEL, schema: SigningSecretSchema },
    ]),
    RulesModule,
    ContactsModule.forWorker(),
    TemplatesModule.forWorker(),
    FaqBotsModule.forWorker(),
    MessagingModule.sending(),
  ],
  providers: [
    {
      provide: OutboundHttpClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new OutboundHttpClient({
          allowedNetworks: config.webhooks.allowedNetworks,
          extraCa: config.webhooks.extraCa || undefined,
          timeoutMs: HTTP_ACTION_TIMEOUT_MS,
          maxResponseBytes: HTTP_ACTION_MAX_RESPONSE_BYTES,
        }),
    },
    ChatStateStore,
    SigningSecretStore,
    ChatGuardPolicy,
    AutomationEventsProducer,
    AutomationReplyService,
    ChatHandoffService,
    FaqAnswerService,
    HttpActionClient,
    RuleActionsRunner,
    InboundAutomationService,
    AutomationConsumer,
  ],
  exports: [SigningSecretStore],
})
export class AutomationPipelineModule {}
