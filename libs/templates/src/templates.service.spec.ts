import type { ContactsService } from '@wwb/contacts';
import { scopeOf } from '@wwb/persistence';
import { TemplateEngine } from './template-engine.service';
import type { TemplateRepository } from './template.repository';
import type { TemplateRecord } from './template.schema';
import { TemplatesService } from './templates.service';

const ID = 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
const scope = scopeOf('acc_1');

function record(body: string, patch: Partial<TemplateRecord> = {}): TemplateRecord {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    _id: ID,
    accountId: 'acc_1',
    name: 't',
    nameKey: 't',
    language: 'en',
    category: 'utility',
    body,
    variables: [],
    revision: 1,
    createdAt: at,
    updatedAt: at,
    ...patch,
  };
}

describe('TemplatesService', () => {
  let stored: TemplateRecord;
  let engine: TemplateEngine;
  let service: TemplatesService;

  beforeEach(() => {
    stored = record('v1 {{x}}');
    engine = new TemplateEngine();
    const repository = { get: jest.fn(async () => stored) } as unknown as TemplateRepository;
    const contacts = { get: jest.fn() } as unknown as ContactsService;
    service = new TemplatesService(repository, engine, contacts);
  });

  it('renders the stored body each time: a change made by another process is used at the next render', async () => {
    await expect(service.render(scope, ID, { variables: { x: 1 } })).resolves.toEqual({ text: 'v1 1' });
    stored = record('v2 {{x}}', { revision: 2 });
    await expect(service.render(scope, ID, { variables: { x: 1 } })).resolves.toEqual({ text: 'v2 1' });
    expect(engine.cachedCount).toBe(2);
  });

  it('template.changed drops the compiled form of the previous body', async () => {
    await service.render(scope, ID, { variables: { x: 1 } });
    expect(engine.cachedCount).toBe(1);
    service.onTemplateChanged({
      accountId: 'acc_1',
      templateId: ID,
      change: 'updated',
      revision: 2,
      previousBodyHash: TemplateEngine.hashOf('v1 {{x}}'),
    });
    expect(engine.cachedCount).toBe(0);
  });

  it('preview: examples, overrides by path, missing paths listed and rendered empty', async () => {
    stored = record('{{a}} {{b.c}} {{default contact.name "you"}} {{d}}', {
      variables: [
        { name: 'a', example: 'A' },
        { name: 'b.c', example: 'C' },
        { name: 'd', example: 'D' },
      ],
    });
    await expect(
      service.preview(scope, ID, { variables: { 'b.c': 'override', contact: 'ignored' } }),
    ).resolves.toEqual({
      text: 'A override you D',
      missingVariables: ['contact.name'],
    });
  });

  it('unknown ids are 404 template_not_found; assertUsable says 400', async () => {
    await expect(service.get(scope, 'nope')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'template_not_found',
    });
    await expect(service.assertUsable(scope, 'nope')).rejects.toMatchObject({
      kind: 'invalid',
      code: 'template_not_found',
    });
  });
});
