import type { EventDefinition } from './event-catalog';
import type { EventDataMap, EventType } from './event-types';

/**
 * Building blocks of the catalogue's JSON Schemas. `data` objects are closed
 * (`additionalProperties: false`) so a field missing from a schema is caught by the validator.
 */
export const obj = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

export const ISO = { type: 'string', format: 'date-time' };
export const STR = { type: 'string' };
export const BOOL = { type: 'boolean' };
export const STRINGS = { type: 'array', items: { type: 'string' } };

/**
 * A catalogue entry whose example is checked against the TypeScript type of its `data`
 * (EventDataMap), so the type and the example cannot drift; event-catalog.spec.ts checks the
 * example (and full and minimal samples of the type) against the JSON Schema.
 */
export function defineEvent<T extends EventType>(
  d: Omit<EventDefinition, 'type' | 'example'> & { type: T; example: EventDataMap[T] },
): EventDefinition {
  return { ...d, example: d.example as Record<string, unknown> };
}
