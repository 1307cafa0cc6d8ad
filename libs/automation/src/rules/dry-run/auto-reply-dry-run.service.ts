import { Injectable } from '@nestjs/common';
import { ContactsService } from '@wwb/contacts';
import { CONNECTION_ID_PATTERN, ConnectionRepository } from '@wwb/connections';
import { FaqBotsService } from '@wwb/faq-bots';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, isDomainError } from '@wwb/runtime';
import { RenderContext, TemplateEngine, TemplatesService } from '@wwb/templates';
import { AutoRepliesService } from '../auto-replies.service';
import { compileDraft, draftError, DraftOutcome, evaluateWithDraft } from './draft-rule.policy';
import { checkRuleDefinition, RuleInput } from '../rule-definition.policy';
import { CompiledRule, InboundFacts } from '../rule-engine.policy';
import { RuleReferencesService } from '../rule-references.service';
import { Action, ChatType, ReplyMedia } from '../rule.model';
import { RulesService } from '../rules.service';

export interface DryRunCommand {
  connectionId: string;
  /** Sender phone (digits, E.164 or a WhatsApp id). */
  from: string;
  text: string;
  messageType?: string;
  chatType?: ChatType;
  /** The contact whose tags and fields are used; else the contact with the `from` phone, if any. */
  contactId?: string;
  /** Tags to evaluate with, instead of the contact's. */
  tags?: string[];
  firstMessage?: boolean;
  /** When the message arrives (business hours); default now. */
  at?: Date;
  /**
   * An unsaved rule to evaluate with the saved ones: in place of the saved rule `replaces`, or
   * added to them. Checked as a save would check it (the same 400 codes, about `draft.<field>`).
   */
  draft?: { rule: RuleInput; replaces?: string };
}

export interface DryRunAction {
  type: Action['type'];
  action: Action;
  rendered?: { text: string; media?: unknown };
  /** Why the reply could not be rendered (it would fail the same way when sent). */
  error?: { code: string; message: string };
}

export interface DryRunResult {
  evaluated: DraftOutcome[];
  matched: { ruleId: string; name: string; actions: DryRunAction[]; draft?: true }[];
}

type TemplateContact = NonNullable<RenderContext['contact']>;

/** `15551234567@c.us`, `+1 555 123 4567` -> `+15551234567`. */
const e164Of = (from: string): string => `+${from.replace(/@.*$/, '').replace(/\D/g, '')}`;

/**
 * Dry run of the rules for a sample message: which rules were evaluated, which matched and why,
 * and what the replies would say; optionally with an unsaved draft among the saved rules, so an
 * edit can be tried before it is saved. Reads only; nothing is sent, saved or cached.
 */
@Injectable()
export class AutoReplyDryRunService {
  constructor(
    private readonly rules: RulesService,
    private readonly savedRules: AutoRepliesService,
    private readonly references: RuleReferencesService,
    private readonly connections: ConnectionRepository,
    private readonly contacts: ContactsService,
    private readonly templates: TemplatesService,
    private readonly engine: TemplateEngine,
    private readonly faqBots: FaqBotsService,
    private readonly clock: Clock,
  ) {}

  async run(scope: AccountScope, command: DryRunCommand): Promise<DryRunResult> {
    if (
      !CONNECTION_ID_PATTERN.test(command.connectionId) ||
      !(await this.connections.get(scope, command.connectionId))
    ) {
      throw DomainError.notFound('Connection');
    }
    const draft = command.draft ? await this.draftOf(scope, command.draft) : undefined;
    const contact = await this.contactOf(scope, command);
    const facts: InboundFacts = {
      connectionId: command.connectionId,
      text: command.text,
      messageType: command.messageType ?? 'text',
      chatType: command.chatType ?? 'direct',
      contactTags: command.tags ? command.tags.map((t) => t.toLowerCase()) : contact.tags,
      firstMessage: command.firstMessage ?? false,
    };
    const now = command.at ?? this.clock.now();
    const saved = await this.rules.activeRules(scope, command.connectionId);
    const evaluation = evaluateWithDraft(saved, draft, facts, now);
    const context: RenderContext = { variables: {}, contact: { ...contact, tags: facts.contactTags }, now };
    const matched: DryRunResult['matched'] = [];
    for (const { rule, draft: isDraft } of evaluation.matched) {
      const actions: DryRunAction[] = [];
      for (const action of rule.actions)
        actions.push(await this.preview(scope, action, context, command.text));
      matched.push({
        ruleId: rule.id,
        name: rule.name,
        actions,
        ...(isDraft ? { draft: true as const } : {}),
      });
    }
    return { evaluated: evaluation.evaluated, matched };
  }

  /** The draft checked as saving it would check it, compiled; 404 when it replaces an unknown rule. */
  private async draftOf(
    scope: AccountScope,
    draft: NonNullable<DryRunCommand['draft']>,
  ): Promise<CompiledRule> {
    if (draft.replaces !== undefined) await this.savedRules.get(scope, draft.replaces);
    try {
      const definition = checkRuleDefinition(draft.rule);
      await this.references.check(scope, definition);
      return compileDraft(definition, draft.replaces);
    } catch (err) {
      throw draftError(err);
    }
  }

  private async contactOf(scope: AccountScope, command: DryRunCommand): Promise<TemplateContact> {
    if (command.contactId !== undefined) return this.contacts.get(scope, command.contactId);
    const phone = e164Of(command.from);
    const known = await this.contacts.findByPhone(scope, phone).catch((err: unknown) => {
      if (isDomainError(err) && err.kind === 'invalid') return null; // not a phone number: no such contact
      throw err;
    });
    return known ?? { id: '', phone, name: null, tags: [], attributes: {}, timeZone: 'UTC', language: null };
  }

  private async preview(
    scope: AccountScope,
    action: Action,
    context: RenderContext,
    text: string,
  ): Promise<DryRunAction> {
    const out: DryRunAction = { type: action.type, action };
    try {
      if (action.type === 'reply') {
        if (action.text !== undefined) out.rendered = { text: this.engine.render(action.text, context) };
        else if (action.templateId !== undefined) {
          out.rendered = await this.templates.render(scope, action.templateId, {
            ...context,
            variables: action.variables ?? {},
          });
        } else out.rendered = { text: action.media?.caption ?? '', media: action.media as ReplyMedia };
      } else if (action.type === 'askFaq') {
        const answer = await this.faqBots.ask(scope, action.botId, text);
        const best = answer.matched ? answer.best : null;
        if (best?.answer.text !== undefined) out.rendered = { text: best.answer.text };
        else if (best?.answer.templateId !== undefined) {
          out.rendered = await this.templates.render(scope, best.answer.templateId, context);
        }
      }
    } catch (err) {
      if (!isDomainError(err)) throw err;
      out.error = { code: err.code, message: err.message };
    }
    return out;
  }
}
