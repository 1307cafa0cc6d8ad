import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AutomationReplySource } from '@wwb/contracts';
import { SendMessageBody, SendMessageUseCase } from '@wwb/messaging';
import { AppLogger } from '@wwb/observability';
import { DomainError } from '@wwb/runtime';
import { retryLater } from './automation-turn.model';
import { RenderContext, TemplateEngine, TemplatesService } from '@wwb/templates';
import type { ReplyMedia } from '../rules';
import { AutomationTurn, pending } from './automation-turn.model';
import { ChatGuardPolicy, LOOP_WINDOW_MS } from './chat-guard.policy';

/** What to answer: a template body (`text`), a stored template, or media (with a caption body). */
export interface ReplyContent {
  text?: string;
  templateId?: string;
  variables?: Record<string, unknown>;
  media?: ReplyMedia;
}

export interface ReplyOrigin {
  source: AutomationReplySource;
  ruleId?: string;
  botId?: string;
}

export type ReplyOutcome =
  | { sent: true; messageId: string }
  | { sent: false; reason: 'loop_breaker' | 'failed'; code?: string; message?: string };

/**
 * Sends one automated reply through SendMessageUseCase, the path every message takes (ids,
 * statuses, durability), with an idempotency key derived from the inbound event, so a redelivered
 * event sends nothing twice. Rules' and bots' replies count against the loop breaker (opt-out
 * confirmations do not: they answer a person's explicit request, once per keyword). A domain
 * error (connection deleted or stopped, template gone, invalid media) is the action's failure,
 * not the turn's; anything else (database or Kafka down) is thrown so the event is retried.
 */
@Injectable()
export class AutomationReplyService {
  private readonly logger: Logger;

  constructor(
    private readonly sending: SendMessageUseCase,
    private readonly templates: TemplatesService,
    private readonly engine: TemplateEngine,
    private readonly guards: ChatGuardPolicy,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'AutomationReplyService' });
  }

  async send(
    turn: AutomationTurn,
    content: ReplyContent,
    origin: ReplyOrigin,
    idempotencyKey: string,
  ): Promise<ReplyOutcome> {
    if (origin.source !== 'opt_out') {
      const budget = this.guards.replyBudget(turn.state, turn.now);
      if (!budget.allowed) {
        if (budget.tripped) {
          this.logger.warn(
            { accountId: turn.scope.accountId, chatId: turn.chatId, replies: budget.replies },
            'loop breaker tripped: no more automated replies to this chat for now',
          );
          turn.events.push(
            pending('automation.loop_breaker.tripped', {
              chatId: turn.chatId,
              replies: budget.replies,
              windowSeconds: LOOP_WINDOW_MS / 1000,
              triggerEventId: turn.event.id,
            }),
          );
        }
        return { sent: false, reason: 'loop_breaker' };
      }
    }

    let messageId: string;
    try {
      const message = await this.compose(turn, content);
      if (!message)
        return { sent: false, reason: 'failed', code: 'empty_reply', message: 'the reply rendered empty' };
      const result = await this.sending.execute(turn.scope, {
        connectionId: turn.connectionId,
        message,
        idempotencyKey,
        origin: { ...origin, triggerEventId: turn.event.id },
      });
      messageId = result.id;
    } catch (err) {
      if (!(err instanceof DomainError) || retryLater(err)) throw err;
      this.logger.warn(
        { accountId: turn.scope.accountId, chatId: turn.chatId, ...origin, code: err.code, err: err.message },
        'automated reply not sent',
      );
      return { sent: false, reason: 'failed', code: err.code, message: err.message };
    }

    this.guards.noteReply(turn.state, messageId, turn.now, origin.source !== 'opt_out');
    turn.events.push(
      pending('automation.reply.sent', {
        messageId,
        ...(origin.ruleId ? { ruleId: origin.ruleId } : {}),
        ...(origin.botId ? { botId: origin.botId } : {}),
        source: origin.source,
        triggerEventId: turn.event.id,
        chatId: turn.chatId,
      }),
    );
    return { sent: true, messageId };
  }

  /** The send body, rendered for the turn's contact; null when there is nothing to send. */
  private async compose(turn: AutomationTurn, content: ReplyContent): Promise<SendMessageBody | null> {
    const context: RenderContext = {
      variables: content.variables ?? {},
      ...(turn.contact ? { contact: turn.contact } : {}),
      now: turn.now,
    };
    const to = turn.chatId;
    if (content.templateId) {
      const rendered = await this.templates.render(turn.scope, content.templateId, context);
      if (rendered.media) {
        return {
          to,
          type: rendered.media.type,
          media: mediaSource(rendered.media),
          ...(rendered.text.trim() ? { caption: rendered.text } : {}),
        };
      }
      return rendered.text.trim() ? { to, type: 'text', text: rendered.text } : null;
    }
    if (content.media) {
      const caption = content.media.caption ? this.render(content.media.caption, context) : '';
      return {
        to,
        type: content.media.type,
        media: mediaSource(content.media),
        ...(caption.trim() ? { caption } : {}),
      };
    }
    const text = content.text ? this.render(content.text, context) : '';
    return text.trim() ? { to, type: 'text', text } : null;
  }

  /** Rendering is pure: whatever it throws is this reply's failure, never a reason to retry. */
  private render(body: string, context: RenderContext): string {
    try {
      return this.engine.render(body, context);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw DomainError.invalid('render_failed', err instanceof Error ? err.message : String(err));
    }
  }
}

function mediaSource(m: { url?: string; uploadId?: string; filename?: string }): SendMessageBody['media'] {
  return {
    ...(m.uploadId ? { uploadId: m.uploadId } : {}),
    ...(m.url && !m.uploadId ? { url: m.url } : {}),
    ...(m.filename ? { filename: m.filename } : {}),
  };
}
