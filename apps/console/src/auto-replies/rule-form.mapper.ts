import { formErrors, type ApiProblem } from '../api/api-error.mapper';
import { defaultHours, hoursToApi, hoursToForm, type HoursDraft } from './business-hours-form.mapper';

/**
 * The rule editor's form model and its mapping to and from the API's rule (conditions and
 * actions as in libs/automation rule-vocabulary.schema.ts). Lists are typed as comma-separated
 * text; what the form has no control for (a reply's media, an HTTP action's headers) is kept as
 * it was and sent back unchanged.
 */

export const CONDITION_TYPES = [
  'text',
  'messageType',
  'chatType',
  'contactTag',
  'firstMessage',
  'businessHours',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export const ACTION_TYPES = ['reply', 'tag', 'http', 'handoff', 'askFaq'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
export const TEXT_OPS = ['contains', 'equals', 'startsWith', 'endsWith', 'keywords', 'regex'] as const;
export const TAG_OPS = ['hasAny', 'hasAll', 'hasNone'] as const;

export type Json = Record<string, unknown>;

export interface ConditionDraft {
  type: ConditionType;
  /** text: TEXT_OPS; contactTag: TAG_OPS; chatType: direct|group|both; businessHours: inside|outside. */
  op: string;
  /** text: the value (keywords: comma-separated); messageType, contactTag: comma-separated. */
  value: string;
  negate: boolean;
  caseSensitive: boolean;
  /** businessHours: the hours (see business-hours-form.mapper.ts). */
  hours: HoursDraft;
}

export interface ActionDraft {
  type: ActionType;
  /** reply: inline text (empty when the reply uses a template or media). */
  text: string;
  templateId: string;
  /** tag: comma-separated. */
  add: string;
  remove: string;
  url: string;
  minutes: string;
  botId: string;
  /** The action as loaded: what the form does not edit is sent back from here. */
  original?: Json;
}

export interface RuleDraft {
  name: string;
  priority: string;
  enabled: boolean;
  stopOnMatch: boolean;
  cooldownSeconds: string;
  mode: 'all' | 'any';
  conditions: ConditionDraft[];
  actions: ActionDraft[];
}

export const LABELS = {
  condition: {
    text: 'Message text',
    messageType: 'Message type',
    chatType: 'Chat type',
    contactTag: 'Contact tags',
    firstMessage: 'First message of a conversation',
    businessHours: 'Business hours',
  },
  action: {
    reply: 'Reply',
    tag: 'Tag the contact',
    http: 'Call a URL (POST)',
    handoff: 'Hand off to a person',
    askFaq: 'Ask a FAQ bot',
  },
  op: {
    contains: 'contains',
    equals: 'equals',
    startsWith: 'starts with',
    endsWith: 'ends with',
    keywords: 'has one of the words',
    regex: 'matches the pattern',
    hasAny: 'has any of',
    hasAll: 'has all of',
    hasNone: 'has none of',
  } as Record<string, string>,
} as const;

/** A new condition; business hours start as Monday to Friday 9-17 in `zone` (the viewer's). */
export function newCondition(type: ConditionType = 'text', zone?: string): ConditionDraft {
  const op = { text: 'contains', contactTag: 'hasAny', chatType: 'direct', businessHours: 'inside' }[
    type as string
  ];
  return {
    type,
    op: op ?? '',
    value: '',
    negate: false,
    caseSensitive: false,
    hours: defaultHours(zone),
  };
}

export function newAction(type: ActionType = 'reply'): ActionDraft {
  return { type, text: '', templateId: '', add: '', remove: '', url: '', minutes: '60', botId: '' };
}

export const emptyRule = (): RuleDraft => ({
  name: '',
  priority: '100',
  enabled: true,
  stopOnMatch: true,
  cooldownSeconds: '0',
  mode: 'all',
  conditions: [newCondition()],
  actions: [newAction()],
});

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const joined = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : '');
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function conditionDraft(c: Json): ConditionDraft {
  const type = (CONDITION_TYPES as readonly string[]).includes(str(c.type))
    ? (c.type as ConditionType)
    : 'text';
  const draft = newCondition(type);
  switch (type) {
    case 'text':
      return {
        ...draft,
        op: str(c.op) || 'contains',
        value: c.values ? joined(c.values) : str(c.value),
        negate: c.negate === true,
        caseSensitive: c.caseSensitive === true,
      };
    case 'messageType':
      return { ...draft, value: joined(c.in) };
    case 'chatType': {
      const chats = Array.isArray(c.in) ? (c.in as string[]) : [];
      return { ...draft, op: chats.length === 2 ? 'both' : (chats[0] ?? 'direct') };
    }
    case 'contactTag':
      return { ...draft, op: str(c.op) || 'hasAny', value: joined(c.tags) };
    case 'businessHours':
      return {
        ...draft,
        op: c.inside === false ? 'outside' : 'inside',
        hours: hoursToForm(c.hours),
      };
    default:
      return draft;
  }
}

function actionDraft(a: Json): ActionDraft {
  const type = (ACTION_TYPES as readonly string[]).includes(str(a.type)) ? (a.type as ActionType) : 'reply';
  return {
    ...newAction(type),
    text: str(a.text),
    templateId: str(a.templateId),
    add: joined(a.add),
    remove: joined(a.remove),
    url: str(a.url),
    minutes: typeof a.minutes === 'number' ? String(a.minutes) : '60',
    botId: str(a.botId),
    original: a,
  };
}

export function toDraft(rule: {
  name: string;
  priority: number;
  enabled: boolean;
  stopOnMatch: boolean;
  cooldownSeconds: number;
  conditions: { mode: 'all' | 'any'; items: unknown[] };
  actions: unknown[];
}): RuleDraft {
  return {
    name: rule.name,
    priority: String(rule.priority),
    enabled: rule.enabled,
    stopOnMatch: rule.stopOnMatch,
    cooldownSeconds: String(rule.cooldownSeconds),
    mode: rule.conditions.mode,
    conditions: rule.conditions.items.map((c) => conditionDraft(c as Json)),
    actions: rule.actions.map((a) => actionDraft(a as Json)),
  };
}

/** A number as typed, or the text itself so that the API names what is wrong with it. */
const num = (text: string): number | string => (/^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text);

function conditionBody(c: ConditionDraft): Json {
  switch (c.type) {
    case 'text': {
      const words = c.op === 'keywords';
      return {
        type: 'text',
        op: c.op,
        ...(words ? { values: list(c.value) } : { value: c.value }),
        ...(c.caseSensitive ? { caseSensitive: true } : {}),
        ...(c.negate ? { negate: true } : {}),
      };
    }
    case 'messageType':
      return { type: 'messageType', in: list(c.value) };
    case 'chatType':
      return { type: 'chatType', in: c.op === 'both' ? ['direct', 'group'] : [c.op] };
    case 'contactTag':
      return { type: 'contactTag', op: c.op, tags: list(c.value) };
    case 'firstMessage':
      return { type: 'firstMessage' };
    case 'businessHours': {
      const hours = hoursToApi(c.hours);
      if (!hours.ok) throw new FormRowError(hours.error);
      return { type: 'businessHours', inside: c.op !== 'outside', hours: hours.hours };
    }
  }
}

/** What the form finds wrong in one row before asking the API. */
class FormRowError extends Error {}

function actionBody(a: ActionDraft): Json {
  const kept = a.original?.type === a.type ? a.original : undefined;
  switch (a.type) {
    case 'reply':
      if (a.templateId.trim()) {
        const variables = kept?.templateId ? kept.variables : undefined;
        return { type: 'reply', templateId: a.templateId.trim(), ...(variables ? { variables } : {}) };
      }
      if (!a.text && kept?.media) return { type: 'reply', media: kept.media };
      return { type: 'reply', text: a.text };
    case 'tag': {
      const add = list(a.add);
      const remove = list(a.remove);
      return { type: 'tag', ...(add.length ? { add } : {}), ...(remove.length ? { remove } : {}) };
    }
    case 'http':
      return { type: 'http', url: a.url.trim(), ...(kept?.headers ? { headers: kept.headers } : {}) };
    case 'handoff':
      return { type: 'handoff', minutes: num(a.minutes) };
    case 'askFaq':
      return { type: 'askFaq', botId: a.botId };
  }
}

export interface RuleErrors {
  fields: Partial<Record<'name' | 'priority' | 'cooldownSeconds', string>>;
  /** By condition row; `-1`: about the conditions as a whole. */
  conditions: Record<number, string>;
  /** By action row; `-1`: about the actions as a whole. */
  actions: Record<number, string>;
  form?: string;
}

export const noErrors = (): RuleErrors => ({ fields: {}, conditions: {}, actions: {} });

/** The body of POST/PATCH /v1/auto-replies, or the rows the form itself finds wrong. */
export function toBody(draft: RuleDraft): { ok: true; body: Json } | { ok: false; errors: RuleErrors } {
  const errors = noErrors();
  const conditions = draft.conditions.map((c, i) => {
    try {
      return conditionBody(c);
    } catch (err) {
      if (!(err instanceof FormRowError)) throw err;
      errors.conditions[i] = err.message;
      return {};
    }
  });
  if (Object.keys(errors.conditions).length) return { ok: false, errors };
  return {
    ok: true,
    body: {
      name: draft.name.trim(),
      priority: num(draft.priority),
      enabled: draft.enabled,
      stopOnMatch: draft.stopOnMatch,
      cooldownSeconds: num(draft.cooldownSeconds),
      conditions: { mode: draft.mode, items: conditions },
      actions: draft.actions.map(actionBody),
    },
  };
}

const CONDITION_CODES = new Set([
  'unknown_condition_type',
  'invalid_condition',
  'invalid_regex',
  'invalid_time_zone',
  'invalid_business_hours',
]);
const ACTION_CODES = new Set([
  'unknown_action_type',
  'invalid_action',
  'invalid_http_url',
  'http_url_forbidden',
  'template_not_found',
  'faq_bot_not_found',
]);

/** The row an error names: `details.index`, else `conditions.items[2]` / `actions[1]` in the message. */
function rowOf(problem: ApiProblem, group: 'conditions' | 'actions'): number {
  const index = (problem.details as { index?: unknown } | undefined)?.index;
  if (typeof index === 'number') return index;
  const pattern = group === 'conditions' ? /conditions\.items\[(\d+)\]/ : /actions\[(\d+)\]/;
  const found = pattern.exec(problem.message)?.[1];
  return found === undefined ? -1 : Number(found);
}

/** Places an API error next to the field or the condition / action row it is about. */
export function ruleErrors(problem: ApiProblem): RuleErrors {
  const out = noErrors();
  const message = problem.message.replace(/^(conditions\.items|actions)\[\d+\](\.\w+)?:?\s*/, '');
  const text = message ? message[0]!.toUpperCase() + message.slice(1) : problem.message;
  if (CONDITION_CODES.has(problem.code)) {
    out.conditions[rowOf(problem, 'conditions')] = text;
    return out;
  }
  // Action codes, and the template engine's codes for a reply's text (they carry the row).
  if (ACTION_CODES.has(problem.code) || /^actions\[\d+\]/.test(problem.message)) {
    out.actions[rowOf(problem, 'actions')] = text;
    return out;
  }
  const placed = formErrors(
    problem,
    ['name', 'priority', 'cooldownSeconds', 'conditions', 'actions'] as const,
    {
      codes: { invalid_name: 'name' },
      labels: { name: 'Name', priority: 'Priority', cooldownSeconds: 'Cooldown' },
    },
  );
  const { conditions, actions, ...fields } = placed.fields;
  if (conditions) out.conditions[-1] = conditions;
  if (actions) out.actions[-1] = actions;
  out.fields = fields;
  if (placed.form) out.form = placed.form;
  return out;
}

/** One line per condition, as the rules list shows them. */
export function conditionSummary(c: Json): string {
  const d = conditionDraft(c);
  switch (d.type) {
    case 'text':
      return `${d.negate ? 'text not ' : 'text '}${LABELS.op[d.op] ?? d.op} "${d.value}"`;
    case 'messageType':
      return `type is ${d.value}`;
    case 'chatType':
      return d.op === 'both' ? 'any chat' : `${d.op} chats`;
    case 'contactTag':
      return `contact ${LABELS.op[d.op] ?? d.op} ${d.value}`;
    case 'firstMessage':
      return 'first message';
    case 'businessHours':
      return `${d.op === 'outside' ? 'outside' : 'during'} business hours (${d.hours.timeZone})`;
  }
}

export function actionSummary(a: Json): string {
  const d = actionDraft(a);
  switch (d.type) {
    case 'reply':
      return d.text
        ? `reply "${d.text}"`
        : d.templateId
          ? `reply with template ${d.templateId}`
          : 'reply with media';
    case 'tag':
      return `tag ${[d.add && `+${d.add}`, d.remove && `-${d.remove}`].filter(Boolean).join(' ')}`;
    case 'http':
      return `POST ${d.url}`;
    case 'handoff':
      return `hand off for ${d.minutes} min`;
    case 'askFaq':
      return `ask FAQ bot ${d.botId}`;
  }
}

export function ruleSummary(conditions: { mode: 'all' | 'any'; items: unknown[] }): string {
  if (!conditions.items.length) return 'every message';
  return conditions.items
    .map((c) => conditionSummary(c as Json))
    .join(conditions.mode === 'all' ? ' and ' : ' or ');
}
