import type { Server } from 'node:http';
import { SEND_ERROR_CODES } from '@wwb/messaging';
import { auth } from './support/connections-stack';
import { MEDIA_LIMIT, MessagingStack, startMediaServer } from './support/messaging-stack';

jest.setTimeout(120_000);

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PEER = '+15557654321';
const PEER_CHAT = '15557654321@c.us';

type Json = Record<string, unknown>;

describe('messaging (e2e: API + worker + gateway, simulator driver, real Kafka and FerretDB)', () => {
  let s: MessagingStack;
  let key: string;
  let con: string;
  let media: { base: string; server: Server; hits: string[] };

  const send = (body: Json, headers: Record<string, string> = {}, connectionId = con, k = key) =>
    s.http
      .post(`/v1/connections/${connectionId}/messages`)
      .set({ ...auth(k), ...headers })
      .send(body);

  const upload = (buffer: Buffer, filename: string, contentType: string, k = key) =>
    s.http.post('/v1/media').set(auth(k)).attach('file', buffer, { filename, contentType });

  beforeAll(async () => {
    media = await startMediaServer();
    s = await MessagingStack.start();
    await s.startWorker();
    await s.stack.startGateway();
    key = (await s.stack.account()).key;
    con = await s.readyConnection(key, '+15551230001');
  });

  afterAll(async () => {
    await s?.close();
    media?.server.close();
  });

  it('a text goes queued -> sent -> delivered (automatic acks) -> read (simulator ack); never backwards', async () => {
    const res = await send({ to: PEER, type: 'text', text: 'Your order has shipped' }).expect(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^msg_[0-9A-Z]{26}$/), status: 'queued' });
    const id = res.body.id as string;

    const delivered = await s.waitForMessage(key, con, id, (m) => m.status === 'delivered');
    expect(delivered).toMatchObject({
      id,
      connectionId: con,
      to: PEER,
      chatId: PEER_CHAT,
      type: 'text',
      waMessageId: expect.stringMatching(/^true_15557654321@c\.us_/),
      error: null,
    });
    const t = delivered.timestamps as Record<string, string | null>;
    expect(t.queued).toBeTruthy();
    expect(t.sent).toBeTruthy();
    expect(t.delivered).toBeTruthy();
    expect(t.read).toBeNull();
    expect(Date.parse(t.queued!)).toBeLessThanOrEqual(Date.parse(t.delivered!));

    const waMessageId = delivered.waMessageId as string;
    await s.http
      .post(`/v1/connections/${con}/simulator/ack`)
      .set(auth(key))
      .send({ messageId: waMessageId, status: 'read' })
      .expect(204);
    const read = await s.waitForMessage(key, con, id, (m) => m.status === 'read');
    expect((read.timestamps as Json).read).toBeTruthy();
    expect(read).toMatchObject({ source: 'api', ruleId: null, botId: null });

    // A late "delivered" ack does not move the status back.
    await s.http
      .post(`/v1/connections/${con}/simulator/ack`)
      .set(auth(key))
      .send({ messageId: waMessageId, status: 'delivered' })
      .expect(204);
    await new Promise((r) => setTimeout(r, 1000));
    const after = (await s.http.get(`/v1/connections/${con}/messages/${id}`).set(auth(key)).expect(200)).body;
    expect(after.status).toBe('read');
    expect(after.timestamps.delivered).toBe(t.delivered);

    // The conversation shows it, as ours, with its status.
    const inChat = await s.waitForChatMessage(
      key,
      con,
      PEER_CHAT,
      (m) => m.messageId === id && m.status === 'read',
    );
    expect(inChat).toMatchObject({
      waMessageId,
      fromMe: true,
      type: 'text',
      body: 'Your order has shipped',
      // Sent through the API (not typed on the phone, not by an automation).
      source: 'api',
      ruleId: null,
      botId: null,
    });
  });

  it('every message type is accepted and reaches the simulated phone', async () => {
    const inbound = await s.http
      .post(`/v1/connections/${con}/simulator/inbound`)
      .set(auth(key))
      .send({ from: PEER, text: 'react to me' })
      .expect(200);
    const target = inbound.body.waMessageId as string;
    const up = await upload(PNG, 'dot.png', 'image/png').expect(201);
    const voice = await upload(Buffer.from('OggS fake voice'), 'note.ogg', 'audio/ogg').expect(201);
    const video = await upload(Buffer.from('fake mp4'), 'clip.mp4', 'video/mp4').expect(201);

    const cases: [Json, (m: Json) => boolean][] = [
      [{ type: 'text', text: 'type: text', mentions: [PEER] }, (m) => m.body === 'type: text'],
      [
        {
          type: 'image',
          caption: 'type: image b64',
          media: { base64: PNG.toString('base64'), mimetype: 'image/png' },
        },
        (m) =>
          m.type === 'image' && m.body === 'type: image b64' && (m.media as Json).mimetype === 'image/png',
      ],
      [
        { type: 'image', caption: 'type: image url', media: { url: `${media.base}/pic.png` } },
        (m) => m.type === 'image' && m.body === 'type: image url' && (m.media as Json).size === PNG.length,
      ],
      [
        { type: 'video', caption: 'type: video', media: { uploadId: video.body.uploadId } },
        (m) => m.type === 'video' && m.body === 'type: video',
      ],
      [
        { type: 'audio', voice: true, media: { uploadId: voice.body.uploadId } },
        (m) => m.type === 'audio' && (m.media as Json).voice === true,
      ],
      [
        {
          type: 'document',
          caption: 'type: document',
          media: { url: `${media.base}/doc.pdf`, filename: 'invoice.pdf' },
        },
        (m) => m.type === 'document' && (m.media as Json).filename === 'invoice.pdf',
      ],
      [{ type: 'sticker', media: { uploadId: up.body.uploadId } }, (m) => m.type === 'sticker'],
      [
        { type: 'location', location: { latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower' } },
        (m) => m.type === 'location' && (m.location as Json).latitude === 48.8584,
      ],
      [
        { type: 'contact', contact: { fullName: 'Ada Lovelace', phoneNumber: '+442079460958' } },
        (m) => m.type === 'contact' && String((m.vCards as string[])[0]).includes('Ada Lovelace'),
      ],
      [
        { type: 'contact', contact: { vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Bob Vcard\nEND:VCARD' } },
        (m) => m.type === 'contact' && String((m.vCards as string[])[0]).includes('Bob Vcard'),
      ],
      [
        { type: 'poll', poll: { name: 'Lunch?', options: ['Pizza', 'Sushi'], allowMultipleAnswers: true } },
        (m) => m.type === 'poll' && (m.poll as Json).allowMultipleAnswers === true,
      ],
      [{ type: 'text', text: 'type: reply', replyTo: target }, (m) => m.quotedMessageId === target],
    ];
    const ids: string[] = [];
    for (const [body] of cases) ids.push((await send({ to: PEER, ...body }).expect(202)).body.id as string);
    const reaction = (
      await send({ to: PEER, type: 'reaction', reaction: { messageId: target, emoji: '👍' } }).expect(202)
    ).body.id as string;

    for (const [i, [, match]] of cases.entries()) {
      const status = await s.waitForMessage(key, con, ids[i]!, (m) => m.status === 'delivered');
      const m = await s.waitForChatMessage(key, con, PEER_CHAT, (x) => x.messageId === ids[i]);
      expect([i, match(m)]).toEqual([i, true]);
      expect(m.waMessageId).toBe(status.waMessageId);
    }
    // A reaction has no acks: it is sent, and the reacted message shows it.
    await s.waitForMessage(key, con, reaction, (m) => m.status === 'sent');
    const reacted = await s.waitForChatMessage(
      key,
      con,
      PEER_CHAT,
      (m) => m.waMessageId === target && (m.reactions as Json[]).length > 0,
    );
    expect(reacted.reactions).toEqual([expect.objectContaining({ reaction: '👍' })]);
  });

  it('an inbound message shows in the chat list and the chat, newest first, with cursor pagination', async () => {
    const from = '+15550003333';
    const chatId = '15550003333@c.us';
    for (const text of ['first', 'second', 'third']) {
      await s.http
        .post(`/v1/connections/${con}/simulator/inbound`)
        .set(auth(key))
        .send({ from, text })
        .expect(200);
      await new Promise((r) => setTimeout(r, 5));
    }
    await s.waitForChatMessage(key, con, chatId, (m) => m.body === 'third');
    const chats = await s.http.get(`/v1/connections/${con}/chats`).set(auth(key)).expect(200);
    expect(chats.body.data[0]).toMatchObject({
      chatId,
      isGroup: false,
      lastMessage: { body: 'third', fromMe: false, type: 'text' },
    });

    const page1 = await s.http
      .get(`/v1/connections/${con}/chats/${chatId}/messages?limit=2`)
      .set(auth(key))
      .expect(200);
    expect(page1.body.data.map((m: Json) => m.body)).toEqual(['third', 'second']);
    expect(page1.body.data[0]).toMatchObject({
      fromMe: false,
      from: chatId,
      messageId: null,
      status: null,
      source: null,
      ruleId: null,
    });
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await s.http
      .get(`/v1/connections/${con}/chats/${chatId}/messages?limit=2&cursor=${page1.body.nextCursor}`)
      .set(auth(key))
      .expect(200);
    expect(page2.body).toEqual({ data: [expect.objectContaining({ body: 'first' })], nextCursor: null });
    // The chat id may be given as a phone number.
    const byPhone = await s.http
      .get(`/v1/connections/${con}/chats/${encodeURIComponent(from)}/messages?limit=1`)
      .set(auth(key))
      .expect(200);
    expect(byPhone.body.data[0].body).toBe('third');
    // Chat list pagination.
    const chatPage = await s.http.get(`/v1/connections/${con}/chats?limit=1`).set(auth(key)).expect(200);
    expect(chatPage.body.data).toHaveLength(1);
    const chatPage2 = await s.http
      .get(`/v1/connections/${con}/chats?limit=1&cursor=${chatPage.body.nextCursor}`)
      .set(auth(key))
      .expect(200);
    expect(chatPage2.body.data[0].chatId).not.toBe(chatPage.body.data[0].chatId);
    await s.http.get(`/v1/connections/${con}/chats?cursor=bogus`).set(auth(key)).expect(400);
  });

  it('Idempotency-Key: same body -> the same message; another body -> 422; concurrent -> one message', async () => {
    const body = { to: PEER, type: 'text', text: 'idempotent hello' };
    const first = await send(body, { 'Idempotency-Key': 'order-42' }).expect(202);
    const again = await send(
      { text: 'idempotent hello', type: 'text', to: PEER },
      { 'Idempotency-Key': 'order-42' },
    ).expect(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await send({ ...body, text: 'something else' }, { 'Idempotency-Key': 'order-42' }).expect(
      422,
    );
    expect(other.body.code).toBe('idempotency_key_reused');
    const otherConnection = await send(
      body,
      { 'Idempotency-Key': 'order-42' },
      await s.readyConnection(key),
    ).expect(422);
    expect(otherConnection.body.code).toBe('idempotency_key_reused');

    const racing = await Promise.all(
      Array.from({ length: 8 }, () =>
        send({ ...body, text: 'racing hello' }, { 'Idempotency-Key': 'race-1' }),
      ),
    );
    expect(racing.map((r) => r.status)).toEqual(Array(8).fill(202));
    const ids = new Set(racing.map((r) => r.body.id as string));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    await s.waitForMessage(key, con, id!, (m) => m.status === 'delivered');
    expect(await s.stack.db.collection('messages').countDocuments({ idempotencyKey: 'race-1' })).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    const sent = await s.http
      .get(`/v1/connections/${con}/chats/${PEER_CHAT}/messages?limit=200`)
      .set(auth(key))
      .expect(200);
    expect(sent.body.data.filter((m: Json) => m.body === 'racing hello')).toHaveLength(1);

    await send(body, { 'Idempotency-Key': 'x'.repeat(256) }).expect(400);
  });

  describe('every 400 code, over HTTP', () => {
    const uploadId = 'upl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
    const wa = 'true_15557654321@c.us_3EB0ABCDEF0123456789';
    const png64 = PNG.toString('base64');
    const cases: [string, Json][] = [
      ['invalid_recipient', { to: 'not-a-number', type: 'text', text: 'x' }],
      ['unsupported_message_type', { to: PEER, type: 'buttons', text: 'x' }],
      ['text_required', { to: PEER, type: 'text' }],
      ['text_too_long', { to: PEER, type: 'text', text: 'x'.repeat(65_537) }],
      [
        'caption_too_long',
        {
          to: PEER,
          type: 'image',
          caption: 'x'.repeat(4097),
          media: { base64: png64, mimetype: 'image/png' },
        },
      ],
      ['media_required', { to: PEER, type: 'image' }],
      ['media_source_required', { to: PEER, type: 'image', media: { mimetype: 'image/png' } }],
      [
        'media_source_ambiguous',
        { to: PEER, type: 'image', media: { base64: png64, url: 'https://example.com/a.png' } },
      ],
      ['invalid_base64', { to: PEER, type: 'image', media: { base64: '***', mimetype: 'image/png' } }],
      ['mimetype_required', { to: PEER, type: 'image', media: { base64: png64 } }],
      [
        'unsupported_mimetype',
        { to: PEER, type: 'document', media: { base64: png64, mimetype: 'application/x-msdownload' } },
      ],
      ['mimetype_mismatch', { to: PEER, type: 'video', media: { base64: png64, mimetype: 'image/png' } }],
      [
        'media_too_large',
        {
          to: PEER,
          type: 'image',
          media: { base64: Buffer.alloc(MEDIA_LIMIT + 1).toString('base64'), mimetype: 'image/png' },
        },
      ],
      ['invalid_media_url', { to: PEER, type: 'image', media: { url: 'ftp://example.com/a.png' } }],
      [
        'media_url_forbidden',
        { to: PEER, type: 'image', media: { url: 'http://169.254.169.254/latest/meta-data' } },
      ],
      ['media_url_forbidden', { to: PEER, type: 'image', media: { url: 'http://[::1]:9/a.png' } }],
      ['media_url_forbidden', { to: PEER, type: 'image', media: { url: 'http://10.0.0.1/a.png' } }],
      [
        'invalid_filename',
        { to: PEER, type: 'document', media: { base64: png64, mimetype: 'image/png', filename: '' } },
      ],
      ['upload_not_found', { to: PEER, type: 'image', media: { uploadId } }],
      ['invalid_location', { to: PEER, type: 'location', location: { latitude: 100, longitude: 0 } }],
      ['location_required', { to: PEER, type: 'location' }],
      ['contact_required', { to: PEER, type: 'contact' }],
      ['invalid_contact', { to: PEER, type: 'contact', contact: { vcard: 'nope' } }],
      ['reaction_required', { to: PEER, type: 'reaction' }],
      ['invalid_reaction', { to: PEER, type: 'reaction', reaction: { messageId: 'msg_1', emoji: '👍' } }],
      ['poll_required', { to: PEER, type: 'poll' }],
      ['poll_name_required', { to: PEER, type: 'poll', poll: { name: '', options: ['a', 'b'] } }],
      ['poll_options_invalid', { to: PEER, type: 'poll', poll: { name: 'q', options: ['a'] } }],
      ['invalid_reply_to', { to: PEER, type: 'text', text: 'x', replyTo: 'msg_1' }],
      ['invalid_mentions', { to: PEER, type: 'text', text: 'x', mentions: ['nobody'] }],
      [
        'text_not_allowed_for_type',
        { to: PEER, type: 'location', text: 'x', location: { latitude: 1, longitude: 1 } },
      ],
      ['caption_not_allowed_for_type', { to: PEER, type: 'text', text: 'x', caption: 'y' }],
      ['media_not_allowed_for_type', { to: PEER, type: 'text', text: 'x', media: { uploadId } }],
      ['voice_not_allowed_for_type', { to: PEER, type: 'text', text: 'x', voice: true }],
      [
        'location_not_allowed_for_type',
        { to: PEER, type: 'text', text: 'x', location: { latitude: 1, longitude: 1 } },
      ],
      ['contact_not_allowed_for_type', { to: PEER, type: 'text', text: 'x', contact: { fullName: 'A' } }],
      [
        'reaction_not_allowed_for_type',
        { to: PEER, type: 'text', text: 'x', reaction: { messageId: wa, emoji: '👍' } },
      ],
      [
        'poll_not_allowed_for_type',
        { to: PEER, type: 'text', text: 'x', poll: { name: 'q', options: ['a', 'b'] } },
      ],
      [
        'reply_not_allowed_for_type',
        { to: PEER, type: 'reaction', replyTo: wa, reaction: { messageId: wa, emoji: '👍' } },
      ],
      [
        'mentions_not_allowed_for_type',
        { to: PEER, type: 'location', mentions: [PEER], location: { latitude: 1, longitude: 1 } },
      ],
      ['validation_failed', { to: 15551234567, type: 'text', text: 'x' }],
      ['validation_failed', { to: PEER, type: 'text', text: 'x', unknown: 1 }],
      ['validation_failed', { to: PEER, type: 'image', media: { uploadId, extra: true } }],
    ];

    it.each(cases.map(([code, body]) => [code, JSON.stringify(body).slice(0, 90), body] as const))(
      '%s  %s',
      async (code, _label, body) => {
        const res = await send(body).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code, requestId: expect.any(String) });
      },
    );

    it('odd shapes are 400s, never 500s', async () => {
      const odd: unknown[] = [
        {},
        [],
        { to: '', type: '' },
        { to: PEER, type: 'text', text: null },
        { to: PEER, type: 'image', media: null },
        { to: PEER, type: 'image', media: [] },
        { to: PEER, type: 'image', media: 'https://example.com/a.png' },
        { to: PEER, type: 'image', media: { url: 5 } },
        { to: PEER, type: 'text', text: 'x', mentions: [1, 2] },
        { to: PEER, type: 'text', text: 'x', mentions: 'all' },
        { to: PEER, type: 'poll', poll: { name: 'q', options: 'a,b' } },
        { to: PEER, type: 'poll', poll: { name: 'q', options: [['a'], ['b']] } },
        { to: PEER, type: 'location', location: { latitude: '1', longitude: '2' } },
        `{"to":"${PEER}","type":"location","location":{"latitude":1e400,"longitude":0}}`,
        { to: PEER, type: 'contact', contact: [] },
        { to: PEER, type: 'contact', contact: { fullName: 'A', phoneNumber: 42 } },
        { to: PEER, type: 'reaction', reaction: { messageId: 'true_1@c.us_A', emoji: 5 } },
        { to: PEER, type: 'audio', voice: 'yes', media: { uploadId: 'upl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' } },
        { to: ['+15557654321'], type: 'text', text: 'x' },
        { to: PEER, type: 'text', text: 'x', replyTo: { id: 1 } },
        { to: PEER, type: 'image', media: { base64: 'data:image/png;base64,' } },
        { to: PEER, type: 'image', media: { url: 'http://[::ffff:127.0.0.1]:1/a.png' } },
        { to: PEER, type: 'image', media: { url: 'http://0x7f000001/a.png' } },
        { to: PEER, type: 'image', media: { url: 'http://no-such-host.invalid/a.png' } },
      ];
      const statuses: string[] = [];
      for (const body of odd) {
        const res =
          typeof body === 'string'
            ? await s.http
                .post(`/v1/connections/${con}/messages`)
                .set({ ...auth(key), 'Content-Type': 'application/json' })
                .send(body)
            : await send(body as Json);
        statuses.push(`${res.status} ${res.body.code}`);
      }
      expect(statuses.filter((x) => !x.startsWith('400 '))).toEqual([]);
    });

    it('URL media: fetch failures, redirects into private ranges, HTML and oversize bodies', async () => {
      const codes: Record<string, string> = {};
      for (const path of ['/missing.png', '/to-metadata', '/page.html', '/big.png']) {
        const res = await send({ to: PEER, type: 'image', media: { url: `${media.base}${path}` } });
        codes[path] = `${res.status} ${res.body.code}`;
      }
      expect(codes).toEqual({
        '/missing.png': '400 media_fetch_failed',
        '/to-metadata': '400 media_url_forbidden',
        '/page.html': '400 unsupported_mimetype',
        '/big.png': '400 media_too_large',
      });
    });

    it('URL media: a file name with malformed percent-escapes or control characters is 400, unfetched', async () => {
      const before = media.hits.length;
      for (const path of ['/bad%zz.png', '/half%E0%A4%A.png', '/line%0Abreak.png']) {
        const res = await send({ to: PEER, type: 'image', media: { url: `${media.base}${path}` } });
        expect(`${res.status} ${res.body.code}`).toBe('400 invalid_media_url');
      }
      expect(media.hits.length).toBe(before);
    });

    it('covers every documented code', () => {
      const tested = new Set([...cases.map(([c]) => c), 'media_fetch_failed']);
      expect(Object.keys(SEND_ERROR_CODES).filter((c) => !tested.has(c))).toEqual([]);
    });
  });

  it('media upload: stored account-scoped; size limit and media types; multipart only on /v1/media', async () => {
    const ok = await upload(PNG, 'dir/dot.png', 'image/png').expect(201);
    expect(ok.body).toEqual({
      uploadId: expect.stringMatching(/^upl_[0-9A-Z]{26}$/),
      mimetype: 'image/png',
      size: PNG.length,
      filename: 'dot.png',
    });
    const files = await s.stack.db.collection('media.files').findOne({ _id: ok.body.uploadId });
    expect(files).toMatchObject({ length: PNG.length, metadata: { mimetype: 'image/png' } });

    const big = await upload(Buffer.alloc(MEDIA_LIMIT + 1, 1), 'big.png', 'image/png').expect(400);
    expect(big.body.code).toBe('media_too_large');
    const exe = await upload(Buffer.from('MZ'), 'x.exe', 'application/x-msdownload').expect(400);
    expect(exe.body.code).toBe('unsupported_mimetype');
    const none = await s.http.post('/v1/media').set(auth(key)).field('note', 'no file').expect(400);
    expect(none.body.code).toBe('file_required');
    const twoFiles = await s.http
      .post('/v1/media')
      .set(auth(key))
      .attach('file', PNG, { filename: 'a.png', contentType: 'image/png' })
      .attach('other', PNG, { filename: 'b.png', contentType: 'image/png' });
    expect([twoFiles.status, twoFiles.body.code]).toEqual([400, 'invalid_multipart']);
    await s.http
      .post('/v1/media')
      .attach('file', PNG, { filename: 'a.png', contentType: 'image/png' })
      .expect(401);
    const elsewhere = await s.http
      .post('/v1/api-keys')
      .set(auth(key))
      .attach('file', PNG, { filename: 'a.png', contentType: 'image/png' })
      .expect(415);
    expect(elsewhere.body.code).toBe('unsupported_media_type');

    // Another account cannot use the upload.
    const other = await s.stack.account();
    const otherCon = await s.readyConnection(other.key);
    const foreign = await send(
      { to: PEER, type: 'image', media: { uploadId: ok.body.uploadId } },
      {},
      otherCon,
      other.key,
    ).expect(400);
    expect(foreign.body.code).toBe('upload_not_found');
  });

  it('a number not on WhatsApp fails with a reason', async () => {
    const res = await send({ to: '+15550000000', type: 'text', text: 'hello?' }).expect(202);
    const failed = await s.waitForMessage(key, con, res.body.id as string, (m) => m.status === 'failed');
    expect(failed).toMatchObject({
      status: 'failed',
      waMessageId: null,
      error: { code: 'number_not_on_whatsapp', message: expect.any(String) },
    });
    expect((failed.timestamps as Json).failed).toBeTruthy();
  });

  it('contacts/check asks the gateway', async () => {
    const yes = await s.http
      .post(`/v1/connections/${con}/contacts/check`)
      .set(auth(key))
      .send({ phone: '+1 555 765 4321' })
      .expect(200);
    expect(yes.body).toEqual({ phone: '+15557654321', registered: true, chatId: PEER_CHAT });
    const no = await s.http
      .post(`/v1/connections/${con}/contacts/check`)
      .set(auth(key))
      .send({ phone: '+15550000000' })
      .expect(200);
    expect(no.body).toEqual({ phone: '+15550000000', registered: false, chatId: null });
    const bad = await s.http
      .post(`/v1/connections/${con}/contacts/check`)
      .set(auth(key))
      .send({ phone: 'abc' })
      .expect(400);
    expect(bad.body.code).toBe('invalid_phone');
  });

  it('keys restricted to other connections, and other accounts, get 404 everywhere', async () => {
    const sent = await send({ to: PEER, type: 'text', text: 'restricted?' }).expect(202);
    const other = await s.readyConnection(key);
    const restricted = await s.http
      .post('/v1/api-keys')
      .set(auth(key))
      .send({ name: 'only-other', connectionIds: [other] })
      .expect(201);
    const stranger = await s.stack.account();
    for (const k of [restricted.body.key as string, stranger.key]) {
      const results = [
        (await send({ to: PEER, type: 'text', text: 'x' }, {}, con, k)).status,
        (await s.http.get(`/v1/connections/${con}/messages/${sent.body.id}`).set(auth(k))).status,
        (await s.http.get(`/v1/connections/${con}/chats`).set(auth(k))).status,
        (await s.http.get(`/v1/connections/${con}/chats/${PEER_CHAT}/messages`).set(auth(k))).status,
        (await s.http.post(`/v1/connections/${con}/contacts/check`).set(auth(k)).send({ phone: PEER }))
          .status,
      ];
      expect(results).toEqual([404, 404, 404, 404, 404]);
    }
    // The restricted key works on its own connection, and a message of another connection is 404 there.
    await send({ to: PEER, type: 'text', text: 'allowed' }, {}, other, restricted.body.key).expect(202);
    await s.http
      .get(`/v1/connections/${other}/messages/${sent.body.id}`)
      .set(auth(restricted.body.key))
      .expect(404);
    await s.http.get(`/v1/connections/${con}/messages/msg_nope`).set(auth(key)).expect(404);
  });

  it('the simulator acks a message by the id the send returned (msg_...), within its account and connection', async () => {
    const sent = await send({ to: PEER, type: 'text', text: 'ack me by my id' }).expect(202);
    const id = sent.body.id as string;
    await s.waitForMessage(key, con, id, (m) => m.status === 'delivered');
    const ack = (connectionId: string, k: string, messageId: string) =>
      s.http
        .post(`/v1/connections/${connectionId}/simulator/ack`)
        .set(auth(k))
        .send({ messageId, status: 'read' });

    // Unknown, on another connection of the account, or from another account: not found, nothing acked.
    const unknown = await ack(con, key, 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8').expect(404);
    expect(unknown.body.code).toBe('message_not_found');
    const other = await s.readyConnection(key);
    expect((await ack(other, key, id).expect(404)).body.code).toBe('message_not_found');
    const stranger = await s.stack.account();
    const strangers = await s.readyConnection(stranger.key);
    expect((await ack(strangers, stranger.key, id).expect(404)).body.code).toBe('message_not_found');
    expect((await ack(con, stranger.key, id).expect(404)).body.code).toBe('not_found');
    await new Promise((r) => setTimeout(r, 500));
    const still = (await s.http.get(`/v1/connections/${con}/messages/${id}`).set(auth(key)).expect(200)).body;
    expect(still.status).toBe('delivered');

    await ack(con, key, id).expect(204);
    const read = await s.waitForMessage(key, con, id, (m) => m.status === 'read');
    expect((read.timestamps as Json).read).toBeTruthy();
  });
});
