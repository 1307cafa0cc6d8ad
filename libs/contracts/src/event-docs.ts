import { ENVELOPE_SCHEMA } from './event-envelope';
import { EVENT_DEFINITIONS, EventDefinition } from './event-catalog';

/** File name of the published JSON Schema of one event type and version. */
export const schemaFileName = (d: Pick<EventDefinition, 'type' | 'version'>) =>
  `${d.type}.v${d.version}.json`;

/** The full JSON Schema of one event: the envelope with `type`, `version` and `data` pinned. */
export function eventSchema(def: EventDefinition): Record<string, unknown> {
  return {
    ...ENVELOPE_SCHEMA,
    $id: `https://wwb.local/schemas/events/${schemaFileName(def)}`,
    title: def.type,
    description: def.description,
    properties: {
      ...ENVELOPE_SCHEMA.properties,
      type: { const: def.type },
      version: { const: def.version },
      data: def.dataSchema,
    },
  };
}

/** An example envelope of the event, as a receiver sees it. */
export function eventExample(def: EventDefinition): Record<string, unknown> {
  return {
    id: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    type: def.type,
    version: def.version,
    occurredAt: '2026-12-01T10:00:00.000Z',
    accountId: 'acc_01JDQ8YZ1K2M3N4P5Q6R7S8T9V',
    ...(def.orderingKey !== 'account' ? { connectionId: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' } : {}),
    ...(def.orderingKey === 'chat' ? { chatId: '15551234567@c.us' } : {}),
    correlationId: 'req_7f3a9c',
    data: def.example,
  };
}

/** docs/events/README.md: the human-readable catalogue. */
export function catalogMarkdown(): string {
  const lines = [
    '# Event catalogue',
    '',
    'Generated from `libs/contracts/src/event-catalog.ts` by `npm run docs`; a unit test fails when',
    'this folder and the code disagree. Every event travels in the same envelope (see',
    '[envelope.json](schemas/envelope.json) and [../architecture.md](../architecture.md)); each file',
    'under `schemas/` is the full JSON Schema (2020-12) of one type and version.',
    '',
    '| type | version | Kafka key (ordering) | description |',
    '|---|---|---|---|',
    ...EVENT_DEFINITIONS.map(
      (d) =>
        `| [\`${d.type}\`](#${d.type.replace(/\./g, '')}) | ${d.version} | ${d.orderingKey} | ${d.description} |`,
    ),
    '',
  ];
  for (const d of EVENT_DEFINITIONS) {
    lines.push(
      `## ${d.type}`,
      '',
      `${d.description} Schema: [${schemaFileName(d)}](schemas/${schemaFileName(d)}).`,
      '',
      '```json',
      JSON.stringify(eventExample(d), null, 2),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

/** Every file of docs/events/, path relative to that folder -> content. */
export function eventDocsFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('README.md', catalogMarkdown());
  files.set('schemas/envelope.json', JSON.stringify(ENVELOPE_SCHEMA, null, 2) + '\n');
  for (const d of EVENT_DEFINITIONS) {
    files.set(`schemas/${schemaFileName(d)}`, JSON.stringify(eventSchema(d), null, 2) + '\n');
  }
  return files;
}
