import { compileBusinessHours, describeBusinessHours } from './business-hours.policy';
import { Action, ChatType, Condition, Rule } from './rule.model';
import { compileTextCondition, TextView } from './text-match.policy';

/** What the engine knows about one inbound message. */
export interface InboundFacts {
  connectionId: string;
  text: string;
  messageType: string;
  chatType: ChatType;
  contactTags: string[];
  /** First inbound message of the conversation. */
  firstMessage: boolean;
}

export interface RuleOutcome {
  ruleId: string;
  name: string;
  matched: boolean;
  /** Each evaluated condition's outcome in words ("text contains 'price'"). */
  reasons: string[];
}

export interface Evaluation {
  /** Rules looked at, in evaluation order. */
  evaluated: RuleOutcome[];
  /** Rules that matched, in evaluation order (ascending priority, then id). */
  matched: CompiledRule[];
}

/** A rule ready to be evaluated: its conditions are closures, compiled once. */
export interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly stopOnMatch: boolean;
  /** Empty: every connection. */
  readonly connectionIds: readonly string[];
  readonly cooldownSeconds: number;
  readonly actions: readonly Action[];
  /** The stored rule it was compiled from. */
  readonly rule: Rule;
  /** Whether the rule is evaluated for messages of this connection (enabled, and serves it). */
  serves(connectionId: string): boolean;
  /** Evaluates the conditions (not `enabled` nor the connection: see serves()). */
  check(context: EvaluationContext): { matched: boolean; reasons: string[] };
}

/** One message's facts, with the forms conditions read prepared once for all rules. */
export class EvaluationContext {
  readonly text: TextView;
  private tags?: ReadonlySet<string>;

  constructor(
    readonly facts: InboundFacts,
    readonly now: Date,
  ) {
    this.text = new TextView(facts.text);
  }

  get tagSet(): ReadonlySet<string> {
    return (this.tags ??= new Set(this.facts.contactTags));
  }
}

interface CompiledCondition {
  holds(ctx: EvaluationContext): boolean;
  explain(ctx: EvaluationContext, held: boolean): string;
}

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

function compileCondition(c: Condition): CompiledCondition {
  switch (c.type) {
    case 'text': {
      const t = compileTextCondition(c);
      return {
        holds: (ctx) => t.test(ctx.text) !== t.negate,
        explain: (_ctx, held) => (held !== t.negate ? t.explain[0] : t.explain[1]),
      };
    }
    case 'messageType': {
      const types = new Set(c.in);
      return {
        holds: (ctx) => types.has(ctx.facts.messageType),
        explain: (ctx, held) =>
          `message type '${ctx.facts.messageType}' is ${held ? '' : 'not '}one of ${list(c.in)}`,
      };
    }
    case 'chatType': {
      const types = new Set<string>(c.in);
      return {
        holds: (ctx) => types.has(ctx.facts.chatType),
        explain: (ctx, held) =>
          `chat type '${ctx.facts.chatType}' is ${held ? '' : 'not '}one of ${list(c.in)}`,
      };
    }
    case 'contactTag': {
      const tags = [...new Set(c.tags)];
      const holds =
        c.op === 'hasAll'
          ? (ctx: EvaluationContext) => tags.every((t) => ctx.tagSet.has(t))
          : c.op === 'hasAny'
            ? (ctx: EvaluationContext) => tags.some((t) => ctx.tagSet.has(t))
            : (ctx: EvaluationContext) => !tags.some((t) => ctx.tagSet.has(t));
      const words = { hasAll: 'all of', hasAny: 'one of', hasNone: 'none of' }[c.op];
      return {
        holds,
        explain: (_ctx, held) => `contact ${held ? 'has' : 'does not have'} ${words} the tags ${list(tags)}`,
      };
    }
    case 'firstMessage':
      return {
        holds: (ctx) => ctx.facts.firstMessage,
        explain: (_ctx, held) =>
          held ? 'first message of the conversation' : 'not the first message of the conversation',
      };
    case 'businessHours': {
      const hours = compileBusinessHours(c.hours);
      return {
        holds: (ctx) => hours.at(ctx.now).open === c.inside,
        explain: (ctx) => describeBusinessHours(hours.timeZone, hours.at(ctx.now)),
      };
    }
  }
}

const GROUPS_SKIPPED = "group chat: skipped (the rule has no chatType condition including 'group')";
const ALWAYS = 'no conditions: always matches';

/**
 * Compiles a rule's conditions into closures. Throws DomainError (`invalid_regex`,
 * `invalid_time_zone`, `invalid_business_hours`, `invalid_condition`) for what cannot be compiled:
 * saving a rule runs this, so a stored rule always compiles.
 */
export function compileRule(rule: Rule): CompiledRule {
  const conditions = rule.conditions.items.map(compileCondition);
  const any = rule.conditions.mode === 'any';
  const allowsGroups = rule.conditions.items.some((c) => c.type === 'chatType' && c.in.includes('group'));
  const connections = rule.connectionIds.length ? new Set(rule.connectionIds) : null;

  return {
    id: rule.id,
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    stopOnMatch: rule.stopOnMatch,
    connectionIds: rule.connectionIds,
    cooldownSeconds: rule.cooldownSeconds,
    actions: rule.actions,
    rule,
    serves: (connectionId) => rule.enabled && (!connections || connections.has(connectionId)),
    check(ctx) {
      if (ctx.facts.chatType === 'group' && !allowsGroups)
        return { matched: false, reasons: [GROUPS_SKIPPED] };
      if (!conditions.length) return { matched: true, reasons: [ALWAYS] };
      const reasons: string[] = [];
      for (const c of conditions) {
        const held = c.holds(ctx);
        reasons.push(c.explain(ctx, held));
        // all: the first failure decides; any: the first success does
        if (held === any) return { matched: any, reasons };
      }
      return { matched: !any, reasons };
    },
  };
}

export const byPriority = (
  a: { priority: number; id: string },
  b: { priority: number; id: string },
): number => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Evaluates rules in ascending priority (then id) against one message at `now`. Disabled rules and
 * rules not serving the message's connection are not evaluated; a match of a rule with
 * `stopOnMatch` ends the evaluation. Pure: no I/O, no clock.
 */
export function evaluateRules(rules: readonly CompiledRule[], facts: InboundFacts, now: Date): Evaluation {
  let ordered = rules;
  for (let i = 1; i < rules.length; i++) {
    if (byPriority(rules[i - 1]!, rules[i]!) > 0) {
      ordered = [...rules].sort(byPriority);
      break;
    }
  }
  const ctx = new EvaluationContext(facts, now);
  const evaluated: RuleOutcome[] = [];
  const matched: CompiledRule[] = [];
  for (const rule of ordered) {
    if (!rule.serves(facts.connectionId)) continue;
    const outcome = rule.check(ctx);
    evaluated.push({ ruleId: rule.id, name: rule.name, matched: outcome.matched, reasons: outcome.reasons });
    if (!outcome.matched) continue;
    matched.push(rule);
    if (rule.stopOnMatch) break;
  }
  return { evaluated, matched };
}
