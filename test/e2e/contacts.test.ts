import { parse } from 'csv-parse/sync';
import { ContactsService, IMPORT_MAX_BYTES } from '@wwb/contacts';
import { scopeOf } from '@wwb/persistence';
import { auth, ConnectionsStack } from './support/connections-stack';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;

describe('contacts (e2e: API over HTTP, real FerretDB)', () => {
  let s: ConnectionsStack;
  let key: string;
  let accountId: string;

  const post = (path: string, body: Json, k = key) => s.http.post(path).set(auth(k)).send(body);
  const create = (body: Json, k = key) => post('/v1/contacts', body, k);
  const importCsv = (csv: string, k = key) =>
    s.http
      .post('/v1/contacts/import')
      .set(auth(k))
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'contacts.csv', contentType: 'text/csv' });
  const importCsvBody = (csv: string | Buffer, k = key, type = 'text/csv') =>
    s.http.post('/v1/contacts/import').set(auth(k)).set('Content-Type', type).send(csv);

  beforeAll(async () => {
    s = await ConnectionsStack.start();
    const acc = await s.account('professional');
    key = acc.key;
    accountId = acc.id;
  });

  afterAll(async () => {
    await s?.close();
  });

  it('CRUD: create with defaults, get, patch (tags, attributes merge), delete', async () => {
    const created = await create({
      phone: '12125550100@c.us',
      name: ' Ada ',
      tags: ['VIP', 'newsletter', 'vip'],
      attributes: { plan: 'gold', orders: 3 },
    }).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^ctc_[0-9A-Z]{26}$/),
      phone: '+12125550100',
      name: 'Ada',
      pushName: null,
      tags: ['vip', 'newsletter'],
      attributes: { plan: 'gold', orders: 3 },
      timeZone: 'America/New_York',
      language: null,
      optOut: { optedOut: false, at: null, reason: null, source: null },
      lastInboundAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id as string;
    expect((await s.http.get(`/v1/contacts/${id}`).set(auth(key)).expect(200)).body).toEqual(created.body);

    const spain = await create({
      phone: '+34 612 34 56 78',
      language: 'es-es',
      timeZone: 'atlantic/canary',
    }).expect(201);
    expect(spain.body).toMatchObject({
      phone: '+34612345678',
      language: 'es-ES',
      timeZone: 'Atlantic/Canary',
    });

    const patched = await s.http
      .patch(`/v1/contacts/${id}`)
      .set(auth(key))
      .send({
        addTags: ['Lead'],
        removeTags: ['newsletter'],
        attributes: { orders: null, city: 'Paris' },
        language: 'fr',
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      tags: ['vip', 'lead'],
      attributes: { plan: 'gold', city: 'Paris' },
      language: 'fr',
    });
    expect(patched.body.attributes).not.toHaveProperty('orders');

    const replaced = await s.http
      .patch(`/v1/contacts/${id}`)
      .set(auth(key))
      .send({ tags: ['a', 'b'], name: null, timeZone: 'Europe/Paris' })
      .expect(200);
    expect(replaced.body).toMatchObject({ tags: ['a', 'b'], name: null, timeZone: 'Europe/Paris' });
    const reset = await s.http
      .patch(`/v1/contacts/${id}`)
      .set(auth(key))
      .send({ timeZone: null })
      .expect(200);
    expect(reset.body.timeZone).toBe('America/New_York');

    await s.http.delete(`/v1/contacts/${id}`).set(auth(key)).expect(204);
    const gone = await s.http.get(`/v1/contacts/${id}`).set(auth(key)).expect(404);
    expect(gone.body.code).toBe('contact_not_found');
    await s.http.delete(`/v1/contacts/${id}`).set(auth(key)).expect(404);
  });

  it('validation: 400 with a code per problem', async () => {
    const cases: [Json, string][] = [
      [{ phone: '123' }, 'invalid_phone'],
      [{ phone: '120363025555555555@g.us' }, 'invalid_phone'],
      [{ phone: '+15550000001', timeZone: 'Mars/Olympus' }, 'invalid_time_zone'],
      [{ phone: '+15550000001', tags: ['two words'] }, 'invalid_tag'],
      [{ phone: '+15550000001', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'too_many_tags'],
      [{ phone: '+15550000001', attributes: { nested: { a: 1 } } }, 'invalid_attribute'],
      [{ phone: '+15550000001', attributes: { 'bad key': 1 } }, 'invalid_attribute'],
      [{ phone: '+15550000001', language: 'not a language' }, 'invalid_language'],
      [{ phone: '+15550000001', unknown: true }, 'validation_failed'],
      [{}, 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const res = await create(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code });
    }
    const ok = await create({ phone: '+15550000002' }).expect(201);
    const conflicting = await s.http
      .patch(`/v1/contacts/${ok.body.id}`)
      .set(auth(key))
      .send({ tags: ['a'], addTags: ['b'] })
      .expect(400);
    expect(conflicting.body.code).toBe('conflicting_tag_changes');
    const cursor = await s.http.get('/v1/contacts?cursor=bm9wZQ').set(auth(key)).expect(400);
    expect(cursor.body.code).toBe('invalid_cursor');
  });

  it('one contact per phone: a duplicate in any spelling is 409 contact_exists with the existing id', async () => {
    const first = await create({ phone: '+15550000010' }).expect(201);
    for (const phone of ['+15550000010', '15550000010', '15550000010@c.us', '+1 (555) 000-0010']) {
      const dup = await create({ phone }).expect(409);
      expect(dup.body).toMatchObject({
        code: 'contact_exists',
        details: { id: first.body.id, phone: '+15550000010' },
      });
    }
    const other = await create({ phone: '+15550000011' }).expect(201);
    const taken = await s.http
      .patch(`/v1/contacts/${other.body.id}`)
      .set(auth(key))
      .send({ phone: '15550000010' })
      .expect(409);
    expect(taken.body.details.id).toBe(first.body.id);
  });

  it('list: tag filters (all must match), name/phone prefix, opt-out, cursor paging', async () => {
    const other = await s.account('professional');
    const k = other.key;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const tags = ['all', i % 2 === 0 ? 'even' : 'odd', ...(i % 3 === 0 ? ['three'] : [])];
      ids.push(
        (await create({ phone: `+1555000020${i}`, name: `Person ${i}`, tags }, k).expect(201)).body.id,
      );
    }
    await create({ phone: '+447911123456', name: 'Zoe' }, k).expect(201);
    const list = async (qs: string) => (await s.http.get(`/v1/contacts?${qs}`).set(auth(k)).expect(200)).body;
    const phones = (body: { data: { phone: string }[] }) => body.data.map((c) => c.phone).sort();

    expect(phones(await list('tag=even&tag=three'))).toEqual(['+15550000200', '+15550000206']);
    expect(phones(await list('tag=even,three'))).toEqual(['+15550000200', '+15550000206']);
    expect(phones(await list('tag=odd'))).toEqual(['+15550000201', '+15550000203', '+15550000205']);
    expect(phones(await list('q=zo'))).toEqual(['+447911123456']);
    expect(phones(await list('q=%2B4479'))).toEqual(['+447911123456']);
    expect((await list('q=person')).data).toHaveLength(7);

    await post(`/v1/contacts/${ids[1]}/opt-out`, { reason: 'asked by phone' }, k).expect(200);
    expect(phones(await list('optedOut=true'))).toEqual(['+15550000201']);
    expect((await list('optedOut=false')).data).toHaveLength(7);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`)) as {
        data: { id: string }[];
        nextCursor: string | null;
      };
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('opt-out and opt-in record when, why and how; a repeated opt-out keeps the first', async () => {
    const c = await create({ phone: '+15550000300' }).expect(201);
    const out = await post(`/v1/contacts/${c.body.id}/opt-out`, { reason: 'asked by phone' }).expect(200);
    expect(out.body.optOut).toEqual({
      optedOut: true,
      at: expect.any(String),
      reason: 'asked by phone',
      source: 'api',
    });
    const again = await post(`/v1/contacts/${c.body.id}/opt-out`, { reason: 'again' }).expect(200);
    expect(again.body.optOut).toEqual(out.body.optOut);
    const back = await post(`/v1/contacts/${c.body.id}/opt-in`, {}).expect(200);
    expect(back.body.optOut).toMatchObject({ optedOut: false, reason: null, source: 'api' });
    expect(Date.parse(back.body.optOut.at as string)).toBeGreaterThanOrEqual(
      Date.parse(out.body.optOut.at as string),
    );
  });

  it('CSV import: good rows in (created and updated), bad rows reported with their line', async () => {
    const other = await s.account('professional');
    const k = other.key;
    await create(
      { phone: '+15550000401', name: 'Old', tags: ['old'], attributes: { keep: 'yes' } },
      k,
    ).expect(201);
    const csv = [
      'phone,name,tags,timeZone,language,plan,attr.name',
      '+15550000400,Ann,vip;lead,Europe/Madrid,es,gold,Lady Ann',
      '15550000401,Bob,new,,,silver,',
      'not-a-phone,Bad,,,,,',
      '+15550000402,Cat,b@d,,,,',
      '+15550000403,Dan,,Mars/Olympus,,,',
      '"+15550000404","Eve, the second","x y",,pt-br,42,',
      '+15550000405,too,many,columns,here,,,,',
    ].join('\n');
    const res = await importCsv(csv, k).expect(200);
    expect(res.body).toEqual({
      created: 2,
      updated: 1,
      failed: 4,
      errors: expect.arrayContaining([
        { row: 4, code: 'invalid_phone', message: expect.any(String) },
        { row: 5, code: 'invalid_tag', message: expect.any(String) },
        { row: 6, code: 'invalid_time_zone', message: expect.any(String) },
        { row: 8, code: 'invalid_csv_row', message: expect.any(String) },
      ]),
    });
    const all = (await s.http.get('/v1/contacts').set(auth(k)).expect(200)).body.data as Json[];
    const byPhone = new Map(all.map((c) => [c.phone, c]));
    expect(byPhone.get('+15550000400')).toMatchObject({
      name: 'Ann',
      tags: ['vip', 'lead'],
      timeZone: 'Europe/Madrid',
      language: 'es',
      attributes: { plan: 'gold', name: 'Lady Ann' },
    });
    expect(byPhone.get('+15550000401')).toMatchObject({
      name: 'Bob',
      tags: ['old', 'new'],
      attributes: { keep: 'yes', plan: 'silver' },
    });
    expect(byPhone.get('+15550000404')).toMatchObject({
      name: 'Eve, the second',
      tags: ['x', 'y'],
      language: 'pt-BR',
      attributes: { plan: 42 },
    });
    expect(all).toHaveLength(3);
  });

  it('CSV import refuses a file without a phone column, and a request without a file', async () => {
    const res = await importCsv('name,tags\nAnn,vip\n').expect(400);
    expect(res.body.code).toBe('invalid_csv');
    const none = await s.http.post('/v1/contacts/import').set(auth(key)).field('other', 'x').expect(400);
    expect(none.body.code).toBe('file_required');
    const empty = await s.http.post('/v1/contacts/import').set(auth(key)).expect(400);
    expect(empty.body.code).toBe('file_required');
    const json = await s.http.post('/v1/contacts/import').set(auth(key)).send({ csv: 'phone' }).expect(415);
    expect(json.body.code).toBe('unsupported_media_type');
    const plain = await importCsvBody('phone\n+15550000700\n', key, 'text/plain').expect(415);
    expect(plain.body.code).toBe('unsupported_media_type');
    const latin1 = await importCsvBody('phone\n+15550000700\n', key, 'text/csv; charset=latin1').expect(415);
    expect(latin1.body.code).toBe('unsupported_media_type');
    const bad = await importCsvBody('name\nAnn\n').expect(400);
    expect(bad.body.code).toBe('invalid_csv');
    // text/csv is let through on the import path only.
    const elsewhere = await s.http
      .post('/v1/contacts')
      .set(auth(key))
      .set('Content-Type', 'text/csv')
      .send('phone\n+15550000700\n')
      .expect(415);
    expect(elsewhere.body.code).toBe('unsupported_media_type');
  });

  it('CSV import also takes a raw text/csv body, with the same size cap (413, nothing imported)', async () => {
    const other = await s.account('professional');
    const csv = 'phone,name,tags,plan\n+15550000710,Ann,vip,gold\n"15550000711","Bob, Jr",,\nbad,,,\n';
    const res = await importCsvBody(csv, other.key, 'text/csv; charset=utf-8').expect(200);
    expect(res.body).toEqual({
      created: 2,
      updated: 0,
      failed: 1,
      errors: [{ row: 4, code: 'invalid_phone', message: expect.any(String) }],
    });
    const list = (await s.http.get('/v1/contacts').set(auth(other.key)).expect(200)).body.data as Json[];
    expect(list.map((c) => [c.phone, c.name, c.tags, c.attributes]).sort()).toEqual([
      ['+15550000710', 'Ann', ['vip'], { plan: 'gold' }],
      ['+15550000711', 'Bob, Jr', [], {}],
    ]);

    const head = Buffer.from('phone\n+15550000712\n', 'utf8');
    const tooBig = Buffer.concat([head, Buffer.alloc(IMPORT_MAX_BYTES + 1 - head.length, '\n')]);
    const big = await importCsvBody(tooBig, other.key).expect(413);
    expect(big.body.code).toBe('payload_too_large');
    const sameViaMultipart = await s.http
      .post('/v1/contacts/import')
      .set(auth(other.key))
      .attach('file', tooBig, { filename: 'big.csv', contentType: 'text/csv' })
      .expect(413);
    expect(sameViaMultipart.body.code).toBe('payload_too_large');
    const after = (await s.http.get('/v1/contacts').set(auth(other.key)).expect(200)).body.data as Json[];
    expect(after).toHaveLength(2);
  });

  it('OpenAPI documents both import bodies', async () => {
    const doc = (await s.http.get('/docs/openapi.json').expect(200)).body;
    const op = doc.paths['/v1/contacts/import'].post;
    expect(Object.keys(op.requestBody.content).sort()).toEqual(['multipart/form-data', 'text/csv']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415']));
  });

  it('export streams CSV with the filters of the list, and reads back into another account unchanged', async () => {
    const a = await s.account('professional');
    const b = await s.account('professional');
    await create(
      {
        phone: '+15550000500',
        name: 'Ann, "Quoted"',
        tags: ['vip', 'x'],
        attributes: { plan: 'gold', n: 3, ok: true },
      },
      a.key,
    ).expect(201);
    const c2 = await create({ phone: '+34612000501', language: 'es', tags: ['vip'] }, a.key).expect(201);
    await create(
      {
        phone: '+15550000503',
        name: '=HYPERLINK("http://evil.example","open")',
        tags: ['vip'],
        attributes: { note: '@SUM(A1)', delta: -3, quoted: "'=1+1", plus: '+x' },
      },
      a.key,
    ).expect(201);
    await create({ phone: '+15550000502', tags: ['other'] }, a.key).expect(201);
    await post(`/v1/contacts/${c2.body.id}/opt-out`, { reason: 'stop' }, a.key).expect(200);

    const res = await s.http.get('/v1/contacts/export?tag=vip').set(auth(a.key)).buffer(true).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const text = res.text;
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual([
      'phone',
      'name',
      'tags',
      'timeZone',
      'language',
      'optedOut',
      'attr.delta',
      'attr.n',
      'attr.note',
      'attr.ok',
      'attr.plan',
      'attr.plus',
      'attr.quoted',
    ]);
    expect(text).not.toContain('+15550000502');
    // No cell starts like a formula: phones and formula-like text carry a leading quote.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows.find((r) => r[0] === "'+15550000503")).toEqual([
      "'+15550000503",
      `'=HYPERLINK("http://evil.example","open")`,
      'vip',
      'America/New_York',
      '',
      'false',
      "'-3",
      '',
      "'@SUM(A1)",
      '',
      '',
      "'+x",
      "''=1+1",
    ]);

    const imported = await importCsv(text, b.key).expect(200);
    expect(imported.body).toEqual({ created: 3, updated: 0, failed: 0, errors: [] });
    const strip = (list: Json[]) =>
      list
        .map(({ phone, name, tags, attributes, timeZone, language, optOut }) => ({
          phone,
          name,
          tags,
          attributes,
          timeZone,
          language,
          optedOut: (optOut as { optedOut: boolean }).optedOut,
        }))
        .sort((x, y) => String(x.phone).localeCompare(String(y.phone)));
    const fromA = (await s.http.get('/v1/contacts?tag=vip').set(auth(a.key)).expect(200)).body.data as Json[];
    const fromB = (await s.http.get('/v1/contacts').set(auth(b.key)).expect(200)).body.data as Json[];
    expect(strip(fromB)).toEqual(strip(fromA));
    expect(fromB.find((c) => c.phone === '+15550000503')).toMatchObject({
      name: '=HYPERLINK("http://evil.example","open")',
      attributes: { note: '@SUM(A1)', delta: -3, quoted: "'=1+1", plus: '+x' },
    });
    const optedOut = fromB.find((c) => c.phone === '+34612000501')!;
    expect(optedOut.optOut).toMatchObject({ optedOut: true, source: 'import' });
  });

  it('plan limit: a starter account holds 1,000 contacts; an import of 1,005 leaves 5 rows refused', async () => {
    const starter = await s.account('starter');
    const me = await s.http.get('/v1/account').set(auth(starter.key)).expect(200);
    expect(me.body.limits.contacts).toBe(1000);

    const rows = Array.from({ length: 1005 }, (_, i) => `+1555100${String(i).padStart(4, '0')},Name ${i}`);
    const res = await importCsv(['phone,name', ...rows].join('\n'), starter.key).expect(200);
    expect(res.body).toMatchObject({ created: 1000, updated: 0, failed: 5 });
    expect(res.body.errors).toHaveLength(5);
    for (const e of res.body.errors as { code: string; row: number }[]) {
      expect(e.code).toBe('plan_limit_exceeded');
      expect(e.row).toBeGreaterThan(1001);
    }
    expect(await s.db.collection('contacts').countDocuments({ accountId: starter.id })).toBe(1000);

    const full = await create({ phone: '+15559999999' }, starter.key).expect(403);
    expect(full.body).toMatchObject({
      code: 'plan_limit_exceeded',
      details: { resource: 'contacts', plan: 'starter', limit: 1000 },
    });
    // Updates of existing contacts still go through when the plan is full.
    const again = await importCsv('phone,tags\n+15551000000,again\n', starter.key).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 1, failed: 0 });
  });

  it('another account gets 404 on get, patch, delete, opt-out and opt-in', async () => {
    const mine = await create({ phone: '+15550000600' }).expect(201);
    const id = mine.body.id as string;
    const intruder = (await s.account('professional')).key;
    await s.http.get(`/v1/contacts/${id}`).set(auth(intruder)).expect(404);
    await s.http.patch(`/v1/contacts/${id}`).set(auth(intruder)).send({ name: 'x' }).expect(404);
    await s.http.delete(`/v1/contacts/${id}`).set(auth(intruder)).expect(404);
    await post(`/v1/contacts/${id}/opt-out`, {}, intruder).expect(404);
    await post(`/v1/contacts/${id}/opt-in`, {}, intruder).expect(404);
    const list = await s.http.get('/v1/contacts').set(auth(intruder)).expect(200);
    expect(list.body.data).toEqual([]);
    const after = await s.http.get(`/v1/contacts/${id}`).set(auth(key)).expect(200);
    expect(after.body).toEqual(mine.body);
  });

  it('recordInbound creates the contact once and keeps activity apart: concurrent API tag edits are never lost', async () => {
    const contacts = s.api.get(ContactsService, { strict: false });
    const scope = scopeOf(accountId);
    const at = new Date('2026-01-02T03:04:05.000Z');
    const [a, b] = await Promise.all([
      contacts.recordInbound(scope, { phone: '5511987650000', name: 'Bia', connectionId: 'con_x', at }),
      contacts.recordInbound(scope, { phone: '+5511987650000', name: 'Bia', connectionId: 'con_x', at }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a).toMatchObject({
      phone: '+5511987650000',
      name: 'Bia',
      pushName: 'Bia',
      timeZone: 'America/Sao_Paulo',
      lastInboundAt: at.toISOString(),
    });
    const viaApi = await s.http.get(`/v1/contacts/${a.id}`).set(auth(key)).expect(200);
    expect(viaApi.body).toMatchObject({ name: 'Bia', lastInboundAt: at.toISOString() });
    expect(await contacts.findByPhone(scope, '5511987650000@c.us')).toMatchObject({ id: a.id });

    const tags: string[] = [];
    for (let i = 0; i < 15; i++) {
      tags.push(`t${i}`);
      await Promise.all([
        s.http
          .patch(`/v1/contacts/${a.id}`)
          .set(auth(key))
          .send({ addTags: [`t${i}`] })
          .expect(200),
        contacts.recordInbound(scope, {
          phone: '+5511987650000',
          name: `Bia ${i}`,
          connectionId: 'con_x',
          at: new Date(at.getTime() + i * 1000),
        }),
      ]);
    }
    const final = await contacts.get(scope, a.id);
    expect(final.tags.sort()).toEqual([...tags].sort());
    expect(final.pushName).toBe('Bia 14');

    const named = await s.http
      .patch(`/v1/contacts/${a.id}`)
      .set(auth(key))
      .send({ name: 'Beatriz' })
      .expect(200);
    expect(named.body).toMatchObject({ name: 'Beatriz', pushName: 'Bia 14' });
    const tagged = await contacts.addTags(scope, a.id, ['Buyer']);
    expect(tagged.tags).toContain('buyer');
    expect((await contacts.removeTags(scope, a.id, ['buyer'])).tags).not.toContain('buyer');
    const out = await contacts.setOptOut(scope, a.id, {
      optedOut: true,
      reason: 'keyword STOP',
      source: 'keyword',
      at,
    });
    expect(out.optOut).toEqual({
      optedOut: true,
      at: at.toISOString(),
      reason: 'keyword STOP',
      source: 'keyword',
    });
    await expect(contacts.get(scopeOf('acc_other'), a.id)).rejects.toMatchObject({
      code: 'contact_not_found',
    });
  });

  it('phone keys: recordInbound finds contacts by key (API, import, phone change), deletes drop keys, a lost key is repaired', async () => {
    const contacts = s.api.get(ContactsService, { strict: false });
    const scope = scopeOf(accountId);
    const keys = s.db.collection<{ _id: string; accountId: string; contactId: string }>('contact_phone_keys');
    const keyOf = (phone: string) => keys.findOne({ _id: `${accountId}/${phone}` });
    const at = new Date('2026-02-03T04:05:06.000Z');
    const inbound = (phone: string) => contacts.recordInbound(scope, { phone, connectionId: 'con_k', at });

    const made = await create({ phone: '+15550007001', name: 'Api' }).expect(201);
    expect(await keyOf('+15550007001')).toEqual({
      _id: `${accountId}/+15550007001`,
      accountId,
      contactId: made.body.id,
    });
    expect((await inbound('15550007001')).id).toBe(made.body.id);

    await importCsv('phone,name\n+15550007002,Imported\n').expect(200);
    const imported = await keyOf('+15550007002');
    expect(imported?.contactId).toMatch(/^ctc_/);
    expect(await inbound('+15550007002')).toMatchObject({ id: imported!.contactId, name: 'Imported' });

    // A phone change moves the key; the old number is free for a new contact.
    await s.http
      .patch(`/v1/contacts/${made.body.id}`)
      .set(auth(key))
      .send({ phone: '+15550007003' })
      .expect(200);
    expect(await keyOf('+15550007001')).toBeNull();
    expect((await keyOf('+15550007003'))?.contactId).toBe(made.body.id);
    expect((await inbound('+15550007003')).id).toBe(made.body.id);
    const newcomer = await inbound('+15550007001');
    expect(newcomer.id).not.toBe(made.body.id);
    expect((await keyOf('+15550007001'))?.contactId).toBe(newcomer.id);
    await create({ phone: '+15550007001' }).expect(409);

    // Delete drops the key; the next message creates a new contact.
    await s.http.delete(`/v1/contacts/${made.body.id}`).set(auth(key)).expect(204);
    expect(await keyOf('+15550007003')).toBeNull();
    const reborn = await inbound('+15550007003');
    expect(reborn.id).not.toBe(made.body.id);

    // A key lost (or left stale) by a crash: the contact is found all the same and the key rewritten.
    await keys.deleteOne({ _id: `${accountId}/+15550007002` });
    expect((await inbound('+15550007002')).id).toBe(imported!.contactId);
    expect((await keyOf('+15550007002'))?.contactId).toBe(imported!.contactId);
    await keys.updateOne({ _id: `${accountId}/+15550007002` }, { $set: { contactId: reborn.id } });
    expect((await inbound('+15550007002')).id).toBe(imported!.contactId);
    expect((await keyOf('+15550007002'))?.contactId).toBe(imported!.contactId);
    expect(await s.db.collection('contacts').countDocuments({ accountId, phone: '+15550007002' })).toBe(1);
  });
});
