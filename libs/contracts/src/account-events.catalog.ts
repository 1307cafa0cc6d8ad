import type { EventDefinition } from './event-catalog';
import { defineEvent, ISO, obj } from './catalog-schema.util';

/** Events of accounts and their API keys, published by the API after the write. */

export const ACCOUNT_PLANS = ['starter', 'professional', 'enterprise'] as const;
export type AccountPlan = (typeof ACCOUNT_PLANS)[number];

export interface AccountCreatedData {
  name: string;
  plan: AccountPlan;
}

export interface AccountUpdatedData {
  name: string;
  plan: AccountPlan;
  disabled: boolean;
}

export interface ApiKeyCreatedData {
  apiKeyId: string;
  name: string;
  /** The key's public prefix; the key itself is never part of an event. */
  prefix: string;
  /** Present when the key is limited to some connections. */
  connectionIds?: string[];
  createdAt: string;
}

export interface ApiKeyRevokedData {
  apiKeyId: string;
  revokedAt: string;
}

export interface AccountEventDataMap {
  'account.created': AccountCreatedData;
  'account.updated': AccountUpdatedData;
  'api_key.created': ApiKeyCreatedData;
  'api_key.revoked': ApiKeyRevokedData;
}

const PLAN = { type: 'string', enum: ACCOUNT_PLANS };

export const ACCOUNT_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'account.created',
    version: 1,
    description: 'An operator created an account.',
    orderingKey: 'account',
    dataSchema: obj({ name: { type: 'string' }, plan: PLAN }, ['name', 'plan']),
    example: { name: 'Acme Support', plan: 'professional' },
  }),
  defineEvent({
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
  }),
  defineEvent({
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
  }),
  defineEvent({
    type: 'api_key.revoked',
    version: 1,
    description: 'An API key was revoked; requests with it now get 401.',
    orderingKey: 'account',
    dataSchema: obj({ apiKeyId: { type: 'string' }, revokedAt: ISO }, ['apiKeyId', 'revokedAt']),
    example: { apiKeyId: 'key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', revokedAt: '2026-12-01T11:00:00.000Z' },
  }),
];
