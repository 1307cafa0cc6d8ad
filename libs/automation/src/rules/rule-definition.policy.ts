import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { DomainError, isDomainError } from '@wwb/runtime';
import { compileRule } from './rule-engine.policy';
import {
  Action,
  ACTION_TYPES,
  ActionType,
  Condition,
  CONDITION_TYPES,
  ConditionType,
  HttpAction,
  ReplyAction,
  RuleDefinition,
  TagAction,
} from './rule.model';
import { ACTION_SCHEMAS, CONDITION_SCHEMAS } from './rule-vocabulary.schema';

export const RULE_DEFAULTS = { priority: 100, enabled: true, stopOnMatch: true, cooldownSeconds: 0 } as const;
export const MAX_CONDITIONS = 20;
export const MAX_ACTIONS = 10;

/** A rule as a client writes it: the vocabulary parts are not trusted yet. */
export interface RuleInput {
  name: string;
  priority?: number;
  enabled?: boolean;
  stopOnMatch?: boolean;
  connectionIds?: string[];
  conditions?: { mode: 'all' | 'any'; items: unknown[] };
  actions: unknown[];
  cooldownSeconds?: number;
}

const ajv = new Ajv({ allErrors: false, strict: false });
const conditionChecks = new Map<string, ValidateFunction>(
  CONDITION_TYPES.map((t) => [t, ajv.compile(CONDITION_SCHEMAS[t])]),
);
const actionChecks = new Map<string, ValidateFunction>(
  ACTION_TYPES.map((t) => [t, ajv.compile(ACTION_SCHEMAS[t])]),
);

const describe = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .map((e) => {
      const where = e.instancePath || '(root)';
      if (e.keyword === 'additionalProperties') {
        return `${where}: unknown property "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
      }
      return `${where} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');

const typeOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as { type?: unknown }).type
    : undefined;

function checkCondition(value: unknown, index: number): Condition {
  const type = typeOf(value);
  const check = typeof type === 'string' ? conditionChecks.get(type) : undefined;
  if (!check) {
    throw DomainError.invalid(
      'unknown_condition_type',
      `conditions.items[${index}]: type must be one of ${CONDITION_TYPES.join(', ')}`,
      { index, type: typeof type === 'string' ? type.slice(0, 50) : null },
    );
  }
  if (!check(value)) {
    const hours = (check.errors ?? []).some((e) => e.instancePath.startsWith('/hours'));
    throw DomainError.invalid(
      hours ? 'invalid_business_hours' : 'invalid_condition',
      `conditions.items[${index}] (${type as ConditionType}): ${describe(check.errors)}`,
      { index },
    );
  }
  const c = value as Condition;
  if (c.type === 'contactTag') return { ...c, tags: [...new Set(c.tags.map((t) => t.toLowerCase()))] };
  return c;
}

const invalidAction = (index: number, message: string): DomainError =>
  DomainError.invalid('invalid_action', `actions[${index}]: ${message}`, { index });

/** An http(s) URL without credentials, or 400 invalid_http_url. */
export function parseHttpUrl(raw: string, index: number): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw DomainError.invalid('invalid_http_url', `actions[${index}]: url is not an absolute URL`, { index });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw DomainError.invalid('invalid_http_url', `actions[${index}]: url must use http or https`, { index });
  }
  if (url.username || url.password) {
    throw DomainError.invalid('invalid_http_url', `actions[${index}]: url must not carry credentials`, {
      index,
    });
  }
  return url;
}

function checkReply(a: ReplyAction, index: number): ReplyAction {
  const kinds = [a.text, a.templateId, a.media].filter((v) => v !== undefined).length;
  if (kinds !== 1) throw invalidAction(index, 'a reply takes exactly one of text, templateId or media');
  if (a.variables !== undefined && a.templateId === undefined) {
    throw invalidAction(index, 'variables go with templateId');
  }
  if (a.media) {
    if ((a.media.url === undefined) === (a.media.uploadId === undefined)) {
      throw invalidAction(index, 'media takes exactly one of url or uploadId');
    }
    if (a.media.url !== undefined) parseHttpUrl(a.media.url, index);
  }
  return a;
}

function checkTag(a: TagAction, index: number): TagAction {
  if (!a.add?.length && !a.remove?.length)
    throw invalidAction(index, 'a tag action adds or removes at least one tag');
  const lower = (tags: string[] | undefined) =>
    tags ? [...new Set(tags.map((t) => t.toLowerCase()))] : undefined;
  const add = lower(a.add);
  const remove = lower(a.remove);
  if (add && remove && add.some((t) => remove.includes(t))) {
    throw invalidAction(index, 'a tag cannot be both added and removed');
  }
  return { type: 'tag', ...(add ? { add } : {}), ...(remove ? { remove } : {}) };
}

function checkAction(value: unknown, index: number): Action {
  const type = typeOf(value);
  const check = typeof type === 'string' ? actionChecks.get(type) : undefined;
  if (!check) {
    throw DomainError.invalid(
      'unknown_action_type',
      `actions[${index}]: type must be one of ${ACTION_TYPES.join(', ')}`,
      { index, type: typeof type === 'string' ? type.slice(0, 50) : null },
    );
  }
  if (!check(value)) throw invalidAction(index, `(${type as ActionType}) ${describe(check.errors)}`);
  const a = value as Action;
  switch (a.type) {
    case 'reply':
      return checkReply(a, index);
    case 'tag':
      return checkTag(a, index);
    case 'http': {
      parseHttpUrl(a.url, index);
      const http: HttpAction = { type: 'http', url: a.url, method: 'POST' };
      if (a.headers && Object.keys(a.headers).length) http.headers = a.headers;
      return http;
    }
    default:
      return a;
  }
}

/**
 * Checks everything about a rule that needs no I/O and applies the defaults: the closed
 * vocabulary of conditions and actions (400 `unknown_condition_type`, `invalid_condition`,
 * `unknown_action_type`, `invalid_action`, `invalid_http_url`) and that the conditions compile
 * (`invalid_regex`, `invalid_time_zone`, `invalid_business_hours`).
 */
export function checkRuleDefinition(input: RuleInput): RuleDefinition {
  const items = input.conditions?.items ?? [];
  if (items.length > MAX_CONDITIONS) {
    throw DomainError.invalid('invalid_condition', `a rule has at most ${MAX_CONDITIONS} conditions`);
  }
  if (input.actions.length < 1 || input.actions.length > MAX_ACTIONS) {
    throw DomainError.invalid('invalid_action', `a rule has 1 to ${MAX_ACTIONS} actions`);
  }
  const name = input.name.trim();
  if (!name) throw DomainError.invalid('invalid_name', 'name must not be blank');
  const definition: RuleDefinition = {
    name,
    priority: input.priority ?? RULE_DEFAULTS.priority,
    enabled: input.enabled ?? RULE_DEFAULTS.enabled,
    stopOnMatch: input.stopOnMatch ?? RULE_DEFAULTS.stopOnMatch,
    connectionIds: [...new Set(input.connectionIds ?? [])],
    conditions: { mode: input.conditions?.mode ?? 'all', items: items.map(checkCondition) },
    actions: input.actions.map(checkAction),
    cooldownSeconds: input.cooldownSeconds ?? RULE_DEFAULTS.cooldownSeconds,
  };
  const epoch = new Date(0);
  const rule = { ...definition, id: '', accountId: '', createdAt: epoch, updatedAt: epoch };
  // one condition at a time, so that what does not compile is refused naming its row
  for (const [index, item] of definition.conditions.items.entries()) {
    try {
      compileRule({ ...rule, conditions: { mode: 'all', items: [item] } });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      const details = typeof err.details === 'object' && err.details !== null ? err.details : {};
      throw new DomainError(err.kind, err.code, `conditions.items[${index}]: ${err.message}`, {
        ...details,
        index,
      });
    }
  }
  return definition;
}

/** The templates a rule's replies name. */
export function templateIdsOf(actions: readonly Action[]): string[] {
  return [...new Set(actions.flatMap((a) => (a.type === 'reply' && a.templateId ? [a.templateId] : [])))];
}
