import { DomainError } from '@wwb/runtime';
import { MimetypePolicy } from '../media';
import { SEND_ERROR_CODES } from './send-request.errors';
import { parseSendRequest, SendLimits, SendMessageBody } from './send-request.parser';

const limits: SendLimits = {
  maxMediaBytes: 1024,
  mimetypes: new MimetypePolicy(['image/*', 'video/mp4', 'audio/ogg', 'audio/mpeg', 'application/pdf']),
};
const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
const UPLOAD = 'upl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';
const WA_ID = 'true_15551234567@c.us_3EB0ABCDEF0123456789';
const to = '+15551234567';

function codeOf(body: SendMessageBody): string {
  try {
    parseSendRequest(body, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe('invalid');
    return (err as DomainError).code;
  }
  return 'ok';
}

describe('parseSendRequest: accepted messages', () => {
  it('text to an E.164 number, with reply and mentions normalized', () => {
    const draft = parseSendRequest(
      {
        to,
        type: 'text',
        text: 'hi @1555',
        replyTo: WA_ID,
        mentions: ['+1 555 000 1111', '15550001111@c.us'],
      },
      limits,
    );
    expect(draft).toEqual({
      chatId: '15551234567@c.us',
      content: { type: 'text', text: 'hi @1555', replyTo: WA_ID, mentions: ['15550001111@c.us'] },
    });
  });

  it('every recipient form: E.164 with or without +, @c.us, @g.us, @lid', () => {
    for (const [input, chatId] of [
      ['+44 20 7946 0958', '442079460958@c.us'],
      ['15551234567', '15551234567@c.us'],
      ['15551234567@c.us', '15551234567@c.us'],
      ['120363025555555555@g.us', '120363025555555555@g.us'],
      ['123456789012345@lid', '123456789012345@lid'],
    ]) {
      expect(parseSendRequest({ to: input, type: 'text', text: 'x' }, limits).chatId).toBe(chatId);
    }
  });

  it('media from base64 (plain and data: URL), upload and URL', () => {
    const b64 = parseSendRequest(
      {
        to,
        type: 'image',
        caption: 'cap',
        media: { base64: PNG, mimetype: 'image/png', filename: 'dir/a.png' },
      },
      limits,
    );
    expect(b64.content).toEqual({ type: 'image', caption: 'cap' });
    expect(b64.media).toEqual({
      kind: 'base64',
      data: Buffer.from(PNG, 'base64'),
      mimetype: 'image/png',
      filename: 'a.png',
    });
    const dataUrl = parseSendRequest(
      { to, type: 'image', media: { base64: `data:image/png;base64,${PNG}` } },
      limits,
    );
    expect(dataUrl.media).toMatchObject({ kind: 'base64', mimetype: 'image/png' });
    expect(parseSendRequest({ to, type: 'document', media: { uploadId: UPLOAD } }, limits).media).toEqual({
      kind: 'upload',
      uploadId: UPLOAD,
    });
    const url = parseSendRequest(
      { to, type: 'video', media: { url: 'https://cdn.example.com/v.mp4' } },
      limits,
    );
    expect(url.media).toMatchObject({ kind: 'url' });
    expect(url.media?.kind === 'url' && url.media.url.href).toBe('https://cdn.example.com/v.mp4');
  });

  it('voice notes, stickers, locations, contacts, reactions and polls', () => {
    expect(
      parseSendRequest({ to, type: 'audio', voice: true, media: { uploadId: UPLOAD } }, limits).content,
    ).toEqual({ type: 'audio', voice: true });
    expect(parseSendRequest({ to, type: 'sticker', media: { uploadId: UPLOAD } }, limits).content).toEqual({
      type: 'sticker',
    });
    expect(
      parseSendRequest(
        { to, type: 'location', location: { latitude: 48.85, longitude: 2.35, name: 'Paris' } },
        limits,
      ).content,
    ).toEqual({ type: 'location', latitude: 48.85, longitude: 2.35, name: 'Paris' });
    const contact = parseSendRequest(
      { to, type: 'contact', contact: { fullName: 'Ada Lovelace', phoneNumber: '+44 20 7946 0958' } },
      limits,
    ).content;
    expect(contact).toMatchObject({ type: 'contact' });
    expect(contact.type === 'contact' && contact.vCard).toContain('waid=442079460958');
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Bob\nEND:VCARD';
    expect(parseSendRequest({ to, type: 'contact', contact: { vcard } }, limits).content).toEqual({
      type: 'contact',
      vCard: vcard,
    });
    expect(
      parseSendRequest({ to, type: 'reaction', reaction: { messageId: WA_ID, emoji: '👍' } }, limits).content,
    ).toEqual({ type: 'reaction', messageId: WA_ID, emoji: '👍' });
    expect(
      parseSendRequest({ to, type: 'reaction', reaction: { messageId: WA_ID, emoji: '' } }, limits).content,
    ).toEqual({ type: 'reaction', messageId: WA_ID, emoji: '' });
    expect(
      parseSendRequest(
        { to, type: 'poll', poll: { name: ' Lunch? ', options: ['Pizza', ' Sushi '] } },
        limits,
      ).content,
    ).toEqual({ type: 'poll', name: 'Lunch?', options: ['Pizza', 'Sushi'], allowMultipleAnswers: false });
  });
});

describe('parseSendRequest: one code per invalid combination', () => {
  const big = Buffer.alloc(1025, 1).toString('base64');
  const cases: [string, SendMessageBody][] = [
    ['invalid_recipient', { type: 'text', text: 'x' }],
    ['invalid_recipient', { to: 'bob', type: 'text', text: 'x' }],
    ['invalid_recipient', { to: '+0123', type: 'text', text: 'x' }],
    ['invalid_recipient', { to: 'status@broadcast', type: 'text', text: 'x' }],
    ['invalid_recipient', { to: 'abc@c.us', type: 'text', text: 'x' }],
    ['unsupported_message_type', { to, text: 'x' }],
    ['unsupported_message_type', { to, type: 'buttons', text: 'x' }],
    ['text_required', { to, type: 'text' }],
    ['text_required', { to, type: 'text', text: '   ' }],
    ['text_too_long', { to, type: 'text', text: 'x'.repeat(65_537) }],
    ['caption_too_long', { to, type: 'image', caption: 'x'.repeat(4097), media: { uploadId: UPLOAD } }],
    ['media_required', { to, type: 'image' }],
    ['media_required', { to, type: 'sticker' }],
    ['media_source_required', { to, type: 'image', media: { mimetype: 'image/png' } }],
    [
      'media_source_ambiguous',
      { to, type: 'image', media: { uploadId: UPLOAD, url: 'https://x.example/a.png' } },
    ],
    ['media_source_ambiguous', { to, type: 'image', media: { base64: PNG, url: 'https://x.example/a.png' } }],
    ['invalid_base64', { to, type: 'image', media: { base64: 'not base64!', mimetype: 'image/png' } }],
    ['invalid_base64', { to, type: 'image', media: { base64: 'A', mimetype: 'image/png' } }],
    ['mimetype_required', { to, type: 'image', media: { base64: PNG } }],
    [
      'unsupported_mimetype',
      { to, type: 'document', media: { base64: PNG, mimetype: 'application/x-msdownload' } },
    ],
    ['unsupported_mimetype', { to, type: 'image', media: { base64: PNG, mimetype: 'png' } }],
    ['unsupported_mimetype', { to, type: 'image', media: { base64: `data:text/html;base64,${PNG}` } }],
    ['mimetype_mismatch', { to, type: 'image', media: { base64: PNG, mimetype: 'video/mp4' } }],
    ['mimetype_mismatch', { to, type: 'audio', media: { uploadId: UPLOAD, mimetype: 'image/png' } }],
    ['media_too_large', { to, type: 'image', media: { base64: big, mimetype: 'image/png' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'ftp://x.example/a.png' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'file:///etc/passwd' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'not a url' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'https://u:p@x.example/a.png' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'https://x.example/a%E0%A4%A.png' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'https://x.example/a%zz.png' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'https://x.example/a%0Ab.png' } }],
    ['invalid_media_url', { to, type: 'image', media: { url: 'https://x.example/a%7F.png' } }],
    ['upload_not_found', { to, type: 'image', media: { uploadId: 'nope' } }],
    ['invalid_filename', { to, type: 'document', media: { uploadId: UPLOAD, filename: 'a\u0000b' } }],
    ['invalid_filename', { to, type: 'document', media: { uploadId: UPLOAD, filename: 'x'.repeat(256) } }],
    ['location_required', { to, type: 'location' }],
    ['invalid_location', { to, type: 'location', location: { latitude: 91, longitude: 0 } }],
    ['invalid_location', { to, type: 'location', location: { latitude: 0, longitude: -180.5 } }],
    ['invalid_location', { to, type: 'location', location: { latitude: 10 } }],
    ['contact_required', { to, type: 'contact' }],
    ['invalid_contact', { to, type: 'contact', contact: {} }],
    ['invalid_contact', { to, type: 'contact', contact: { vcard: 'hello' } }],
    [
      'invalid_contact',
      { to, type: 'contact', contact: { vcard: 'BEGIN:VCARD\nFN:A\nEND:VCARD', fullName: 'A' } },
    ],
    ['invalid_contact', { to, type: 'contact', contact: { fullName: 'A', phoneNumber: '12' } }],
    ['reaction_required', { to, type: 'reaction' }],
    ['invalid_reaction', { to, type: 'reaction', reaction: { emoji: '👍' } }],
    ['invalid_reaction', { to, type: 'reaction', reaction: { messageId: 'msg_1', emoji: '👍' } }],
    ['invalid_reaction', { to, type: 'reaction', reaction: { messageId: WA_ID, emoji: 'ok' } }],
    ['invalid_reaction', { to, type: 'reaction', reaction: { messageId: WA_ID } }],
    ['poll_required', { to, type: 'poll' }],
    ['poll_name_required', { to, type: 'poll', poll: { name: ' ', options: ['a', 'b'] } }],
    ['poll_options_invalid', { to, type: 'poll', poll: { name: 'q', options: ['a'] } }],
    ['poll_options_invalid', { to, type: 'poll', poll: { name: 'q', options: ['a', 'a '] } }],
    ['poll_options_invalid', { to, type: 'poll', poll: { name: 'q', options: ['a', ''] } }],
    [
      'poll_options_invalid',
      { to, type: 'poll', poll: { name: 'q', options: Array.from({ length: 13 }, (_, i) => `${i}`) } },
    ],
    ['poll_options_invalid', { to, type: 'poll', poll: { name: 'q' } }],
    ['invalid_reply_to', { to, type: 'text', text: 'x', replyTo: 'msg_01ABC' }],
    ['invalid_mentions', { to, type: 'text', text: 'x', mentions: ['bob'] }],
    ['invalid_mentions', { to, type: 'text', text: 'x', mentions: ['120363025555555555@g.us'] }],
    ['text_not_allowed_for_type', { to, type: 'image', text: 'x', media: { uploadId: UPLOAD } }],
    ['caption_not_allowed_for_type', { to, type: 'text', text: 'x', caption: 'y' }],
    ['caption_not_allowed_for_type', { to, type: 'audio', caption: 'y', media: { uploadId: UPLOAD } }],
    ['media_not_allowed_for_type', { to, type: 'text', text: 'x', media: { uploadId: UPLOAD } }],
    ['voice_not_allowed_for_type', { to, type: 'video', voice: true, media: { uploadId: UPLOAD } }],
    [
      'location_not_allowed_for_type',
      { to, type: 'text', text: 'x', location: { latitude: 1, longitude: 1 } },
    ],
    ['contact_not_allowed_for_type', { to, type: 'text', text: 'x', contact: { fullName: 'A' } }],
    [
      'reaction_not_allowed_for_type',
      { to, type: 'text', text: 'x', reaction: { messageId: WA_ID, emoji: '👍' } },
    ],
    ['poll_not_allowed_for_type', { to, type: 'text', text: 'x', poll: { name: 'q', options: ['a', 'b'] } }],
    [
      'reply_not_allowed_for_type',
      { to, type: 'reaction', replyTo: WA_ID, reaction: { messageId: WA_ID, emoji: '👍' } },
    ],
    ['mentions_not_allowed_for_type', { to, type: 'sticker', mentions: [to], media: { uploadId: UPLOAD } }],
  ];

  it.each(cases.map(([code, body]) => [code, JSON.stringify(body).slice(0, 90), body] as const))(
    '%s  %s',
    (code, _label, body) => {
      expect(codeOf(body)).toBe(code);
    },
  );

  it('every code of SEND_ERROR_CODES that the parser can decide is covered above', () => {
    const decidedElsewhere = ['media_url_forbidden', 'media_fetch_failed'];
    const covered = new Set(cases.map(([c]) => c));
    for (const code of Object.keys(SEND_ERROR_CODES)) {
      if (!decidedElsewhere.includes(code)) expect([code, covered.has(code)]).toEqual([code, true]);
    }
  });
});
