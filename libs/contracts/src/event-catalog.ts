import { WEBHOOK_EVENT_DEFINITIONS } from './webhook-events.catalog';
import { WHATSAPP_EVENT_DEFINITIONS } from './whatsapp-events.catalog';

/** Every event type, its data schema and an example: the source of docs/events/. */
export interface EventDefinition {
  type: string;
  version: number;
  description: string;
  /** What the Kafka message key is for this event (the unit of ordering). */
  orderingKey: 'account' | 'connection' | 'chat';
  dataSchema: Record<string, unknown>;
  example: Record<string, unknown>;
}

const obj = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const PLAN = { type: 'string', enum: ['starter', 'professional', 'enterprise'] };
const ISO = { type: 'string', format: 'date-time' };

export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  {
    type: 'account.created',
    version: 1,
    description: 'An operator created an account.',
    orderingKey: 'account',
    dataSchema: obj({ name: { type: 'string' }, plan: PLAN }, ['name', 'plan']),
    example: { name: 'Acme Support', plan: 'professional' },
  },
  {
    type: 'account.updated',
    version: 1,
    description: 'An operator changed the plan or disabled / re-enabled an account.',
    orderingKey: 'account',
    dataSchema: obj({ name: { type: 'string' }, plan: PLAN, disabled: { type: 'boolean' } }, [
      'name',
      'plan',
      'disabled',
    ]),
    example: { name: 'Acme Support', plan: 'enterprise', disabled: false },
  },
  {
    type: 'api_key.created',
    version: 1,
    description: 'An API key was issued (the key itself is never part of an event).',
    orderingKey: 'account',
    dataSchema: obj(
      {
        apiKeyId: { type: 'string' },
        name: { type: 'string' },
        prefix: { type: 'string' },
        connectionIds: { type: 'array', items: { type: 'string' } },
        createdAt: ISO,
      },
      ['apiKeyId', 'name', 'prefix', 'createdAt'],
    ),
    example: {
      apiKeyId: 'key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
      name: 'crm-integration',
      prefix: 'wwb_3f9KqP2a',
      createdAt: '2026-12-01T10:00:00.000Z',
    },
  },
  {
    type: 'api_key.revoked',
    version: 1,
    description: 'An API key was revoked; requests with it now get 401.',
    orderingKey: 'account',
    dataSchema: obj({ apiKeyId: { type: 'string' }, revokedAt: ISO }, ['apiKeyId', 'revokedAt']),
    example: { apiKeyId: 'key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', revokedAt: '2026-12-01T11:00:00.000Z' },
  },
  ...WHATSAPP_EVENT_DEFINITIONS,
  ...WEBHOOK_EVENT_DEFINITIONS,
];

export function findEventDefinition(type: string, version?: number): EventDefinition | undefined {
  return EVENT_DEFINITIONS.find((d) => d.type === type && (version === undefined || d.version === version));
}
