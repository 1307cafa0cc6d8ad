import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AccountsService } from '@wwb/accounts';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import { TemplateReferencesService } from '@wwb/templates';
import { RULES_CHANGED_EVENT, RulesChangedEvent } from './rule-cache.store';
import { checkRuleDefinition, RuleInput, templateIdsOf } from './rule-definition.policy';
import { definitionOf, toRecord, toRule } from './rule.mapper';
import { Rule } from './rule.model';
import { RuleReferencesService } from './rule-references.service';
import { RulePosition, RuleRepository } from './rule.repository';

export const RULE_ID_PATTERN = /^ar_[0-9A-HJKMNP-TV-Z]{26}$/;
export const DEFAULT_RULE_PAGE = 20;
export const MAX_RULE_PAGE = 100;

export interface RulePage {
  data: Rule[];
  nextCursor: string | null;
}

export type RulePatch = Partial<RuleInput>;

export const ruleNotFound = (): DomainError => DomainError.notFound('Auto-reply rule');

const owner = (id: string) => ({ kind: 'auto_reply' as const, id });

/** Opaque cursor: base64url of `[priority, id]` of a page's last rule. */
export function encodeRuleCursor(p: RulePosition): string {
  return Buffer.from(JSON.stringify([p.priority, p.id]), 'utf8').toString('base64url');
}

export function decodeRuleCursor(cursor: string): RulePosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      RULE_ID_PATTERN.test(value[1])
    ) {
      return { priority: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through
  }
  throw DomainError.invalid('invalid_cursor', 'cursor is not a cursor this endpoint returned');
}

/**
 * Auto-reply rules of an account: create (within the plan), read, change, delete. Every change
 * registers the templates the rule uses (so they cannot be deleted under it), records a new
 * revision of the account's rules and announces RULES_CHANGED_EVENT in this process.
 */
@Injectable()
export class AutoRepliesService {
  constructor(
    private readonly repository: RuleRepository,
    private readonly accounts: AccountsService,
    private readonly references: RuleReferencesService,
    private readonly templateReferences: TemplateReferencesService,
    private readonly events: EventEmitter2,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async create(scope: AccountScope, input: RuleInput): Promise<Rule> {
    const definition = checkRuleDefinition(input);
    const id = this.ids.prefixed('ar');
    await this.accounts.reserve(scope, 'autoReplies', id);
    const now = this.clock.now();
    const record = toRecord({ id, accountId: scope.accountId, createdAt: now, updatedAt: now }, definition);
    try {
      // references first: a template deleted meanwhile is then either refused or seen missing below
      await this.templateReferences.set(scope, owner(id), templateIdsOf(definition.actions));
      await this.references.check(scope, definition);
      if (!(await this.repository.insert(record))) throw new Error(`auto-reply id ${id} is taken`);
    } catch (err) {
      await this.templateReferences.clear(scope, owner(id));
      await this.accounts.release(scope, 'autoReplies', id);
      throw err;
    }
    await this.changed(scope);
    return toRule(record);
  }

  async list(scope: AccountScope, opts: { cursor?: string; limit?: number } = {}): Promise<RulePage> {
    const limit = Math.min(opts.limit ?? DEFAULT_RULE_PAGE, MAX_RULE_PAGE);
    const after = opts.cursor === undefined ? undefined : decodeRuleCursor(opts.cursor);
    const rows = await this.repository.page(scope, { ...(after ? { after } : {}), limit: limit + 1 });
    const page = rows.slice(0, limit).map(toRule);
    const last = page[page.length - 1];
    return {
      data: page,
      nextCursor:
        rows.length > limit && last ? encodeRuleCursor({ priority: last.priority, id: last.id }) : null,
    };
  }

  async get(scope: AccountScope, id: string): Promise<Rule> {
    if (!RULE_ID_PATTERN.test(id)) throw ruleNotFound();
    const record = await this.repository.get(scope, id);
    if (!record) throw ruleNotFound();
    return toRule(record);
  }

  /** Changes the given fields; `conditions` and `actions` are replaced whole. */
  async update(scope: AccountScope, id: string, patch: RulePatch): Promise<Rule> {
    const current = await this.get(scope, id);
    const input: RuleInput = { ...definitionOf(current) };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (input as unknown as Record<string, unknown>)[key] = value;
    }
    const definition = checkRuleDefinition(input);
    const before = templateIdsOf(current.actions);
    const after = templateIdsOf(definition.actions);
    // the union while the change is under way: neither the old nor the new templates can go
    await this.templateReferences.set(scope, owner(id), [...new Set([...before, ...after])]);
    const record = toRecord(
      { id, accountId: scope.accountId, createdAt: current.createdAt, updatedAt: this.clock.now() },
      definition,
    );
    try {
      await this.references.check(scope, definition);
      if (!(await this.repository.replace(scope, record))) throw ruleNotFound();
    } catch (err) {
      await this.templateReferences.set(scope, owner(id), before);
      throw err;
    }
    await this.templateReferences.set(scope, owner(id), after);
    await this.changed(scope);
    return toRule(record);
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.get(scope, id);
    if (!(await this.repository.delete(scope, id))) throw ruleNotFound();
    await this.templateReferences.clear(scope, owner(id));
    await this.accounts.release(scope, 'autoReplies', id);
    await this.changed(scope);
  }

  private async changed(scope: AccountScope): Promise<void> {
    const revision = await this.repository.bump(scope, this.clock.now());
    const event: RulesChangedEvent = { accountId: scope.accountId, revision };
    this.events.emit(RULES_CHANGED_EVENT, event);
  }
}
