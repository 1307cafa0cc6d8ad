import { scopeOf } from '@wwb/persistence';
import { TemplateReferencesService, TemplatesService } from '@wwb/templates';
import { auth, ConnectionsStack } from './support/connections-stack';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

const ORDER_TEMPLATE = {
  name: 'order_shipped',
  language: 'en-us',
  category: 'utility',
  body:
    'Hi {{default contact.name "there"}}, order {{orderId}} ({{currency order.total "EUR"}}) ' +
    'has shipped: {{plural order.count one="# parcel" other="# parcels"}}.' +
    '{{#each order.items as |item|}}\n- {{item}}{{/each}}',
  variables: [
    { name: 'orderId', example: 'A-1001', description: 'Our order number' },
    { name: 'order.total', example: 12.5 },
    { name: 'order.count', example: 2 },
    { name: 'order.items', example: ['Mug', 'Tea & biscuits'] },
  ],
};

describe('templates (e2e: API over HTTP, real FerretDB)', () => {
  let s: ConnectionsStack;
  let key: string;
  let accountId: string;

  const create = (body: Json, k = key) => s.http.post('/v1/templates').set(auth(k)).send(body);

  beforeAll(async () => {
    s = await ConnectionsStack.start();
    ({ key, id: accountId } = await s.account('professional'));
  });

  afterAll(async () => {
    await s?.close();
  });

  it('creates, reads, lists with a cursor, changes and deletes a template', async () => {
    const created = await create({ ...ORDER_TEMPLATE, name: 'crud_one' }).expect(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^tpl_[0-9A-Z]{26}$/),
      name: 'crud_one',
      language: 'en-US', // canonical BCP-47
      category: 'utility',
      body: ORDER_TEMPLATE.body,
      variables: ORDER_TEMPLATE.variables,
      media: null,
      revision: 1,
      warnings: [],
    });
    const id = created.body.id as string;
    expect((await s.http.get(`/v1/templates/${id}`).set(auth(key)).expect(200)).body).toMatchObject({
      id,
      revision: 1,
    });

    const second = await create({
      name: 'crud_two',
      language: 'de',
      category: 'marketing',
      body: 'Hallo {{contact.name}}',
      variables: [{ name: 'unused', example: 1 }],
      media: { type: 'image', url: 'https://example.com/p.png' },
    }).expect(201);
    expect(second.body.warnings).toEqual([
      expect.objectContaining({ code: 'unused_variable', variable: 'unused' }),
    ]);
    expect(second.body.media).toEqual({ type: 'image', url: 'https://example.com/p.png' });

    const page1 = await s.http.get('/v1/templates?limit=1').set(auth(key)).expect(200);
    expect(page1.body.data.map((t: Json) => t.id)).toEqual([id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await s.http
      .get(`/v1/templates?limit=1&cursor=${page1.body.nextCursor}`)
      .set(auth(key))
      .expect(200);
    expect(page2.body.data.map((t: Json) => t.id)).toEqual([second.body.id]);
    const marketing = await s.http.get('/v1/templates?category=marketing').set(auth(key)).expect(200);
    expect(marketing.body.data.map((t: Json) => t.id)).toEqual([second.body.id]);
    await s.http.get('/v1/templates?cursor=bm9wZQ').set(auth(key)).expect(400);

    const patched = await s.http
      .patch(`/v1/templates/${id}`)
      .set(auth(key))
      .send({
        body: 'Order {{orderId}} is on its way',
        media: { type: 'document', uploadId: 'upl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', filename: 'invoice.pdf' },
      })
      .expect(200);
    expect(patched.body).toMatchObject({ revision: 2, body: 'Order {{orderId}} is on its way' });
    expect(patched.body.warnings.map((w: Json) => w.variable)).toEqual([
      'order.total',
      'order.count',
      'order.items',
    ]);
    const removed = await s.http
      .patch(`/v1/templates/${id}`)
      .set(auth(key))
      .send({ media: null })
      .expect(200);
    expect(removed.body).toMatchObject({ revision: 3, media: null });

    await s.http.delete(`/v1/templates/${id}`).set(auth(key)).expect(204);
    const gone = await s.http.get(`/v1/templates/${id}`).set(auth(key)).expect(404);
    expect(gone.body.code).toBe('template_not_found');
    await s.http.delete(`/v1/templates/${second.body.id}`).set(auth(key)).expect(204);
  });

  it('refuses bad bodies with a code, line and column, and bad fields', async () => {
    const syntax = await create({ ...ORDER_TEMPLATE, name: 'bad1', body: 'Hi\n  {{orderId}' }).expect(400);
    expect(syntax.body).toMatchObject({
      code: 'template_syntax_error',
      details: [{ code: 'template_syntax_error', message: expect.any(String), line: 2, column: 12 }],
    });
    const helper = await create({ ...ORDER_TEMPLATE, name: 'bad2', body: '{{shout orderId}}' }).expect(400);
    expect(helper.body).toMatchObject({
      code: 'unknown_helper',
      details: [{ code: 'unknown_helper', line: 1, column: 1 }],
    });
    const undeclared = await create({
      ...ORDER_TEMPLATE,
      name: 'bad3',
      body: 'Hi\n{{orderId}} {{coupon}}',
    }).expect(400);
    expect(undeclared.body).toMatchObject({
      code: 'undeclared_variable',
      details: [
        { code: 'undeclared_variable', message: expect.stringContaining('coupon'), line: 2, column: 15 },
      ],
    });
    const partial = await create({ ...ORDER_TEMPLATE, name: 'bad4', body: '{{> footer}}' }).expect(400);
    expect(partial.body.code).toBe('template_partials_not_allowed');

    const field = async (patch: Json, code: string) =>
      expect((await create({ ...ORDER_TEMPLATE, name: 'bad5', ...patch }).expect(400)).body.code).toBe(code);
    await field({ language: 'not a language' }, 'invalid_language');
    await field({ category: 'authentication' }, 'validation_failed');
    await field({ body: 'x'.repeat(4_097) }, 'validation_failed');
    await field({ variables: [{ name: 'a..b', example: 1 }] }, 'invalid_variable');
    await field({ variables: [{ name: 'contact.vip', example: 1 }] }, 'invalid_variable');
    await field({ variables: [{ name: 'x' }] }, 'validation_failed');
    await field({ media: { type: 'image' } }, 'invalid_template_media');
    await field({ media: { type: 'image', url: 'ftp://example.com/a.png' } }, 'invalid_template_media');
    await field({ media: { type: 'sticker', url: 'https://example.com/a.webp' } }, 'validation_failed');
    expect((await s.http.get('/v1/templates').set(auth(key)).expect(200)).body.data).toEqual([]);
  });

  it('POST /v1/templates/validate reports problems without saving', async () => {
    const res = await s.http
      .post('/v1/templates/validate')
      .set(auth(key))
      .send({
        body: '{{upper name}} {{#each items}}{{@index}}{{/each}}\n{{nope}}',
        variables: [
          { name: 'name', example: 'x' },
          { name: 'spare', example: 1 },
        ],
      })
      .expect(200);
    expect(res.body).toEqual({
      valid: false,
      problems: [
        { code: 'undeclared_variable', message: expect.stringContaining('items'), line: 1, column: 24 },
        { code: 'undeclared_variable', message: expect.stringContaining('nope'), line: 2, column: 3 },
      ],
      warnings: [expect.objectContaining({ code: 'unused_variable', variable: 'spare' })],
      paths: ['name', 'items', 'nope'],
    });
    const ok = await s.http
      .post('/v1/templates/validate')
      .set(auth(key))
      .send({ body: 'Hi {{contact.name}}' })
      .expect(200);
    expect(ok.body).toMatchObject({ valid: true, problems: [] });
  });

  it('POST /v1/templates/validate previews unsaved text: examples, language, a contact; render failures reported', async () => {
    const draft = {
      body: 'Hi {{contact.name}}, {{formatNumber total}} for {{orderId}}',
      variables: [
        { name: 'total', example: 1234.5 },
        { name: 'orderId', example: 'A-1' },
      ],
    };
    const plain = await s.http.post('/v1/templates/validate').set(auth(key)).send(draft).expect(200);
    expect(plain.body).toMatchObject({
      valid: true,
      preview: { text: 'Hi , 1,234.5 for A-1', missingVariables: ['contact.name'] },
    });
    const german = await s.http
      .post('/v1/templates/validate')
      .set(auth(key))
      .send({ ...draft, language: 'de-DE' })
      .expect(200);
    expect(german.body.preview.text).toBe('Hi , 1.234,5 for A-1');

    const contact = await s.http
      .post('/v1/contacts')
      .set(auth(key))
      .send({ phone: '+491519876543', name: 'Uwe', language: 'de-DE' })
      .expect(201);
    const forContact = await s.http
      .post('/v1/templates/validate')
      .set(auth(key))
      .send({ ...draft, contactId: contact.body.id })
      .expect(200);
    expect(forContact.body.preview).toEqual({ text: 'Hi Uwe, 1.234,5 for A-1' });

    // Nothing was saved, and a body with problems gets no preview.
    expect((await s.http.get('/v1/templates').set(auth(key)).expect(200)).body.data).toEqual([]);
    const broken = await s.http
      .post('/v1/templates/validate')
      .set(auth(key))
      .send({ body: '{{#if x}}open' })
      .expect(200);
    expect(broken.body.valid).toBe(false);
    expect(broken.body.preview).toBeUndefined();

    const failing = await s.http
      .post('/v1/templates/validate')
      .set(auth(key))
      .send({ body: 'Due {{formatDate due}}', variables: [{ name: 'due', example: 'someday' }] })
      .expect(200);
    expect(failing.body).toMatchObject({ valid: true, previewProblem: { code: 'template_render_failed' } });
    expect(failing.body.preview).toBeUndefined();

    const badLanguage = await s.http
      .post('/v1/templates/validate')
      .set(auth(key))
      .send({ ...draft, language: 'not a language!' })
      .expect(400);
    expect(badLanguage.body.code).toBe('invalid_language');
    const other = await s.account('professional');
    const leak = await s.http
      .post('/v1/templates/validate')
      .set(auth(other.key))
      .send({ ...draft, contactId: contact.body.id })
      .expect(404);
    expect(leak.body.code).toMatch(/not_found/);
  });

  it('names are unique per account, case-insensitively: 409 template_name_taken', async () => {
    const first = await create({ ...ORDER_TEMPLATE, name: 'Welcome' }).expect(201);
    expect((await create({ ...ORDER_TEMPLATE, name: 'welcome' }).expect(409)).body.code).toBe(
      'template_name_taken',
    );
    const other = await create({ ...ORDER_TEMPLATE, name: 'Other' }).expect(201);
    const rename = await s.http
      .patch(`/v1/templates/${other.body.id}`)
      .set(auth(key))
      .send({ name: 'WELCOME' })
      .expect(409);
    expect(rename.body.code).toBe('template_name_taken');
    const otherAccount = await s.account('professional');
    await create({ ...ORDER_TEMPLATE, name: 'Welcome' }, otherAccount.key).expect(201);
    for (const id of [first.body.id, other.body.id])
      await s.http.delete(`/v1/templates/${id}`).set(auth(key)).expect(204);
  });

  it('previews with the examples, with variables over them, and for a contact', async () => {
    const tpl = await create({
      ...ORDER_TEMPLATE,
      name: 'preview',
      media: { type: 'document', url: 'https://example.com/i.pdf', filename: 'i.pdf' },
    }).expect(201);
    const id = tpl.body.id as string;
    const byExamples = await s.http.post(`/v1/templates/${id}/preview`).set(auth(key)).send({}).expect(200);
    expect(byExamples.body).toEqual({
      text: 'Hi there, order A-1001 (€12.50) has shipped: 2 parcels.\n- Mug\n- Tea & biscuits',
      media: { type: 'document', url: 'https://example.com/i.pdf', filename: 'i.pdf' },
      missingVariables: ['contact.name'],
    });

    const withVars = await s.http
      .post(`/v1/templates/${id}/preview`)
      .set(auth(key))
      .send({ variables: { orderId: 'B-7', 'order.count': 1, order: { total: 3 } } })
      .expect(200);
    expect(withVars.body.text).toBe('Hi there, order B-7 (€3.00) has shipped: 1 parcel.');

    const contact = await s.http
      .post('/v1/contacts')
      .set(auth(key))
      .send({ phone: '+491511234567', name: 'Jana', language: 'de-DE', timeZone: 'Europe/Berlin' })
      .expect(201);
    const forContact = await s.http
      .post(`/v1/templates/${id}/preview`)
      .set(auth(key))
      .send({ contactId: contact.body.id })
      .expect(200);
    expect(forContact.body.text.replace(/\u00a0/g, ' ')).toBe(
      'Hi Jana, order A-1001 (12,50 €) has shipped: 2 parcels.\n- Mug\n- Tea & biscuits',
    );
    expect(forContact.body.missingVariables).toBeUndefined();

    const failing = await create({
      name: 'preview_fail',
      language: 'en',
      category: 'service',
      body: 'Due {{formatDate due}}',
      variables: [{ name: 'due', example: 'someday' }],
    }).expect(201);
    const failed = await s.http
      .post(`/v1/templates/${failing.body.id}/preview`)
      .set(auth(key))
      .send({})
      .expect(400);
    expect(failed.body.code).toBe('template_render_failed');

    // The worker-side use case renders with the given variables only, and sees changes at once.
    const templates = s.api.get(TemplatesService);
    const scope = scopeOf(accountId);
    await expect(templates.render(scope, id, { variables: {} })).rejects.toMatchObject({
      code: 'template_render_failed',
    });
    await s.http.patch(`/v1/templates/${id}`).set(auth(key)).send({ body: 'v2 {{orderId}}' }).expect(200);
    await expect(templates.render(scope, id, { variables: { orderId: 'X' } })).resolves.toEqual({
      text: 'v2 X',
      media: { type: 'document', url: 'https://example.com/i.pdf', filename: 'i.pdf' },
    });
    await expect(templates.assertUsable(scope, 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8')).rejects.toMatchObject({
      kind: 'invalid',
      code: 'template_not_found',
    });
  });

  it('a template in use cannot be deleted: 409 template_in_use naming the owners', async () => {
    const tpl = await create({ ...ORDER_TEMPLATE, name: 'in_use' }).expect(201);
    const id = tpl.body.id as string;
    const refs = s.api.get(TemplateReferencesService);
    const scope = scopeOf(accountId);
    await refs.set(scope, { kind: 'auto_reply', id: 'rul_1' }, [id]);
    await refs.set(scope, { kind: 'faq_bot', id: 'faq_1' }, [id, id]);
    await expect(
      refs.set(scope, { kind: 'campaign', id: 'cmp_1' }, [id, 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8']),
    ).rejects.toMatchObject({
      code: 'template_not_found',
    });

    const inUse = await s.http.delete(`/v1/templates/${id}`).set(auth(key)).expect(409);
    expect(inUse.body).toMatchObject({
      code: 'template_in_use',
      details: expect.arrayContaining([
        { kind: 'auto_reply', id: 'rul_1' },
        { kind: 'faq_bot', id: 'faq_1' },
      ]),
    });
    expect(inUse.body.details).toHaveLength(2); // the refused campaign left no reference behind

    await refs.set(scope, { kind: 'auto_reply', id: 'rul_1' }, []);
    await refs.clear(scope, { kind: 'faq_bot', id: 'faq_1' });
    await s.http.delete(`/v1/templates/${id}`).set(auth(key)).expect(204);
    await expect(refs.set(scope, { kind: 'auto_reply', id: 'rul_2' }, [id])).rejects.toMatchObject({
      code: 'template_not_found',
    });
  });

  it("another account's template is 404 everywhere", async () => {
    const tpl = await create({ ...ORDER_TEMPLATE, name: 'private' }).expect(201);
    const id = tpl.body.id as string;
    const other = await s.account('professional');
    const otherAuth = auth(other.key);
    for (const res of [
      await s.http.get(`/v1/templates/${id}`).set(otherAuth),
      await s.http.patch(`/v1/templates/${id}`).set(otherAuth).send({ body: 'x' }),
      await s.http.delete(`/v1/templates/${id}`).set(otherAuth),
      await s.http.post(`/v1/templates/${id}/preview`).set(otherAuth).send({}),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('template_not_found');
    }
    expect((await s.http.get('/v1/templates').set(otherAuth).expect(200)).body.data).toEqual([]);
    await s.http.get(`/v1/templates/${id}`).set(auth(key)).expect(200);
  });

  it('starter plan: 20 templates; the 21st is 403 plan_limit_exceeded until one is deleted', async () => {
    const starter = await s.account('starter');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(
        (await create({ ...ORDER_TEMPLATE, name: `t${i}` }, starter.key).expect(201)).body.id as string,
      );
    }
    const over = await create({ ...ORDER_TEMPLATE, name: 't20' }, starter.key).expect(403);
    expect(over.body.code).toBe('plan_limit_exceeded');
    await s.http.delete(`/v1/templates/${ids[0]}`).set(auth(starter.key)).expect(204);
    await create({ ...ORDER_TEMPLATE, name: 't20' }, starter.key).expect(201);
    // At the limit, a taken name is still reported as such.
    expect((await create({ ...ORDER_TEMPLATE, name: 't1' }, starter.key).expect(409)).body.code).toBe(
      'template_name_taken',
    );
  });
});
