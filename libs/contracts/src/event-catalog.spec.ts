import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_TYPE_PATTERN } from './event-envelope';
import { EVENT_DEFINITIONS } from './event-catalog';
import { eventDocsFiles, eventExample } from './event-docs';
import { EventValidator } from './event-validator';

const DOCS = join(__dirname, '../../../docs/events');

describe('event catalogue', () => {
  const validator = new EventValidator();

  it('names every type in dotted lower case, once per version', () => {
    const keys = EVENT_DEFINITIONS.map((d) => `${d.type}@${d.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of EVENT_DEFINITIONS) expect(d.type).toMatch(EVENT_TYPE_PATTERN);
  });

  it.each(EVENT_DEFINITIONS.map((d) => [d.type, d] as const))(
    '%s: the documented example is valid',
    (_t, d) => {
      expect(validator.validate(eventExample(d))).toEqual({ ok: true, event: eventExample(d) });
    },
  );

  it('rejects an envelope whose data breaks its schema, and says where', () => {
    const bad = { ...eventExample(EVENT_DEFINITIONS[0]!), data: { name: 1 } };
    const result = validator.validate(bad);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join(' ')).toMatch(/data/);
  });

  it('rejects malformed envelopes and non-JSON', () => {
    expect(validator.parse(Buffer.from('{nope')).ok).toBe(false);
    expect(validator.parse(null).ok).toBe(false);
    expect(
      validator.validate({ id: 'x', type: 'NoDots', version: 1, occurredAt: 'x', accountId: 'a', data: {} })
        .ok,
    ).toBe(false);
  });

  it('accepts an unknown but well-formed type (forward compatibility)', () => {
    const e = { ...eventExample(EVENT_DEFINITIONS[0]!), type: 'future.thing', data: { anything: true } };
    expect(validator.validate(e).ok).toBe(true);
  });

  it('docs/events/ is up to date (run `npm run docs`)', () => {
    const files = eventDocsFiles();
    for (const [name, content] of files) {
      const path = join(DOCS, name);
      expect(existsSync(path) ? readFileSync(path, 'utf8') : `<missing ${name}>`).toBe(content);
    }
    const published = readdirSync(join(DOCS, 'schemas')).map((f) => `schemas/${f}`);
    expect(published.sort()).toEqual([...files.keys()].filter((k) => k.startsWith('schemas/')).sort());
  });
});
