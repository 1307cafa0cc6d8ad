import { Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { AppConfig } from '@wwb/config';
import { CONNECTION_ID_PATTERN, ConnectionRepository } from '@wwb/connections';
import { FaqBotsService } from '@wwb/faq-bots';
import { NetworkPolicy } from '@wwb/outbound';
import { AccountScope } from '@wwb/persistence';
import { DomainError, isDomainError } from '@wwb/runtime';
import { TemplateEngine, TemplatesService } from '@wwb/templates';
import { parseHttpUrl } from './rule-definition.policy';
import { RuleDefinition } from './rule.model';

/** Host names that always mean this machine or a cloud metadata service. */
const LOCAL_NAMES = /(^|\.)(localhost|localdomain|internal|local)$/i;

/**
 * Checks what a rule points at, which needs the account's data or settings: its connections
 * (400 `unknown_connection`), templates (400 `template_not_found`), inline reply text (the
 * template engine's codes), FAQ bots (400 `faq_bot_not_found`) and HTTP targets
 * (400 `http_url_forbidden` for literal private, loopback, link-local or metadata addresses and
 * local names; hosts are resolved and checked again on every call by the pipeline's client).
 */
@Injectable()
export class RuleReferencesService {
  private readonly network: NetworkPolicy;

  constructor(
    config: AppConfig,
    private readonly connections: ConnectionRepository,
    private readonly templates: TemplatesService,
    private readonly engine: TemplateEngine,
    private readonly faqBots: FaqBotsService,
  ) {
    this.network = new NetworkPolicy(config.webhooks.allowedNetworks);
  }

  async check(scope: AccountScope, rule: RuleDefinition): Promise<void> {
    await this.checkConnections(scope, rule.connectionIds);
    for (const [index, action] of rule.actions.entries()) {
      switch (action.type) {
        case 'reply':
          if (action.text !== undefined) this.checkText(action.text, index);
          if (action.templateId !== undefined) await this.templates.assertUsable(scope, action.templateId);
          break;
        case 'http':
          this.checkTarget(action.url, index);
          break;
        case 'askFaq':
          await this.checkFaqBot(scope, action.botId, index);
          break;
        default:
          break;
      }
    }
  }

  private async checkConnections(scope: AccountScope, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (!CONNECTION_ID_PATTERN.test(id) || !(await this.connections.get(scope, id)))
        throw unknownConnection(id);
    }
  }

  private checkText(text: string, index: number): void {
    const problems = this.engine.validate(text, []);
    if (!problems.length) return;
    const first = problems[0]!;
    throw DomainError.invalid(first.code, `actions[${index}].text: ${first.message}`, { index, problems });
  }

  private checkTarget(raw: string, index: number): void {
    const url = parseHttpUrl(raw, index);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host) ? host : LOCAL_NAMES.test(host) ? '127.0.0.1' : null;
    if (literal !== null && !this.network.allows(literal)) {
      throw DomainError.invalid(
        'http_url_forbidden',
        `actions[${index}]: ${host} is a private, loopback, link-local or metadata address`,
        { index },
      );
    }
  }

  private async checkFaqBot(scope: AccountScope, botId: string, index: number): Promise<void> {
    try {
      await this.faqBots.get(scope, botId);
    } catch (err) {
      if (isDomainError(err) && err.kind === 'not_found') {
        throw DomainError.invalid('faq_bot_not_found', `actions[${index}]: FAQ bot ${botId} does not exist`, {
          index,
          botId,
        });
      }
      throw err;
    }
  }
}

const unknownConnection = (id: string): DomainError =>
  DomainError.invalid('unknown_connection', `connection ${id} does not exist`, { connectionId: id });
