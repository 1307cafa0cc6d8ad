import { MESSAGE_TYPES } from '@wwb/contracts';
import {
  CHAT_TYPES,
  ConditionType,
  ActionType,
  REPLY_MEDIA_TYPES,
  TAG_OPS,
  TEXT_OPS,
  WEEKDAYS,
} from './rule.model';
import { MAX_HOLIDAYS, MAX_RANGES_PER_DAY } from './business-hours.policy';

/**
 * JSON Schemas of each condition and action type: checked with ajv on save and published in the
 * OpenAPI document. What a schema cannot say (regex syntax, time zones, "exactly one of") is
 * checked when the rule is compiled.
 */

type JsonSchema = Record<string, unknown>;

const obj = (
  required: string[],
  properties: Record<string, JsonSchema>,
  description?: string,
): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
  ...(description ? { description } : {}),
});

const str = (maxLength: number, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength,
  ...extra,
});
const strings = (maxItems: number, item: JsonSchema, minItems = 1): JsonSchema => ({
  type: 'array',
  minItems,
  maxItems,
  items: item,
});
/** Contacts' tag slugs (stored lower-case). */
const TAG = str(50, { pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });

const RANGE = obj(['from', 'to'], {
  from: { type: 'string', example: '09:00', description: 'HH:mm' },
  to: { type: 'string', example: '17:30', description: 'HH:mm or 24:00; before `from` = crosses midnight' },
});

export const BUSINESS_HOURS_SCHEMA = obj(
  ['timeZone', 'weekly'],
  {
    timeZone: str(64, { example: 'Europe/Berlin', description: 'IANA time zone' }),
    weekly: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        WEEKDAYS.map((d) => [d, { type: 'array', maxItems: MAX_RANGES_PER_DAY, items: RANGE }]),
      ),
    },
    holidays: strings(MAX_HOLIDAYS, { type: 'string', example: '2026-12-25' }, 0),
  },
  'Weekly hours in local wall time (DST-safe); a holiday closes the ranges starting on it',
);

export const CONDITION_SCHEMAS: Record<ConditionType, JsonSchema> = {
  text: obj(
    ['type', 'op'],
    {
      type: { const: 'text' },
      op: { enum: [...TEXT_OPS] },
      value: str(1000, {
        description: 'One value (a regex pattern for `regex`, re2 syntax, at most 500 chars)',
      }),
      values: strings(100, str(200), 1),
      caseSensitive: { type: 'boolean', default: false },
      negate: { type: 'boolean', default: false },
    },
    '`keywords`: whole words, any case, any accents; exactly one of value / values',
  ),
  messageType: obj(['type', 'in'], {
    type: { const: 'messageType' },
    in: { ...strings(MESSAGE_TYPES.length, { enum: [...MESSAGE_TYPES] }), uniqueItems: true },
  }),
  chatType: obj(
    ['type', 'in'],
    {
      type: { const: 'chatType' },
      in: { ...strings(2, { enum: [...CHAT_TYPES] }), uniqueItems: true },
    },
    "Group chats are skipped unless a rule has a chatType condition including 'group'",
  ),
  contactTag: obj(['type', 'op', 'tags'], {
    type: { const: 'contactTag' },
    op: { enum: [...TAG_OPS] },
    tags: strings(50, TAG),
  }),
  firstMessage: obj(
    ['type'],
    { type: { const: 'firstMessage' } },
    'First inbound message of the conversation',
  ),
  businessHours: obj(['type', 'inside', 'hours'], {
    type: { const: 'businessHours' },
    inside: { type: 'boolean' },
    hours: BUSINESS_HOURS_SCHEMA,
  }),
};

const MEDIA = obj(['type'], {
  type: { enum: [...REPLY_MEDIA_TYPES] },
  url: str(2048, { description: 'http(s) URL (exactly one of url / uploadId)' }),
  uploadId: str(100, { description: 'An id from POST /v1/media' }),
  caption: str(1024),
  filename: str(255),
});

export const ACTION_SCHEMAS: Record<ActionType, JsonSchema> = {
  reply: obj(
    ['type'],
    {
      type: { const: 'reply' },
      text: str(4096, { description: 'A Handlebars body: {{contact.name}}, {{contact.phone}}, ...' }),
      templateId: str(100),
      variables: {
        type: 'object',
        maxProperties: 50,
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
        description: 'Variables for the template',
      },
      media: MEDIA,
    },
    'Exactly one of text, templateId or media',
  ),
  tag: obj(['type'], { type: { const: 'tag' }, add: strings(50, TAG, 0), remove: strings(50, TAG, 0) }),
  http: obj(
    ['type', 'url'],
    {
      type: { const: 'http' },
      url: str(2048, { description: 'http(s); private, loopback and metadata addresses are refused' }),
      method: { const: 'POST', default: 'POST' },
      headers: {
        type: 'object',
        maxProperties: 20,
        propertyNames: { pattern: "^[A-Za-z0-9!#%&'*+^_`|~-]{1,100}$" },
        additionalProperties: { type: 'string', maxLength: 2048 },
      },
    },
    'POSTs the event to the URL, signed like webhooks',
  ),
  handoff: obj(
    ['type', 'minutes'],
    { type: { const: 'handoff' }, minutes: { type: 'integer', minimum: 1, maximum: 43200 } },
    'Pauses automation in that chat for this long',
  ),
  askFaq: obj(['type', 'botId'], { type: { const: 'askFaq' }, botId: str(100) }),
};
