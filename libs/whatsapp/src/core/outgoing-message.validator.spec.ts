import { OutgoingMessage } from '../whatsapp-message.dto';
import { validateOutgoingMessage } from './outgoing-message.validator';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('validateOutgoingMessage', () => {
  const valid: OutgoingMessage[] = [
    { type: 'text', text: 'hi', replyTo: 'false_1@c.us_X', mentions: ['15551234567@c.us'] },
    { type: 'image', media: { mimetype: 'image/png', data: PNG }, caption: 'c' },
    { type: 'video', media: { mimetype: 'video/mp4', data: 'AAAA' }, asGif: true },
    { type: 'audio', media: { mimetype: 'audio/ogg; codecs=opus', data: 'AAAA' }, voice: true },
    { type: 'document', media: { mimetype: 'application/pdf', data: 'AAAA', filename: 'a.pdf' } },
    { type: 'sticker', media: { mimetype: 'image/webp', data: 'AAAA' } },
    { type: 'location', latitude: -33.9, longitude: 151.2, name: 'Opera' },
    { type: 'contact', vCard: 'BEGIN:VCARD\nVERSION:3.0\nFN:X\nEND:VCARD' },
    { type: 'reaction', messageId: 'true_1@c.us_X', emoji: '👍' },
    { type: 'reaction', messageId: 'true_1@c.us_X', emoji: '' },
    { type: 'poll', name: 'Lunch?', options: ['yes', 'no'], allowMultipleAnswers: false },
  ];
  it.each(valid.map((m) => [m.type, m]))('accepts a valid %s', (_t, m) => {
    expect(validateOutgoingMessage(m)).toBe(m);
  });

  const invalid: [string, unknown, RegExp][] = [
    ['empty text', { type: 'text', text: '  ' }, /text must not be empty/],
    ['too long text', { type: 'text', text: 'x'.repeat(70_000) }, /longer than/],
    ['media without data', { type: 'image', media: { mimetype: 'image/png', data: '' } }, /base64/],
    ['not base64', { type: 'document', media: { mimetype: 'application/pdf', data: 'ab$d' } }, /base64/],
    ['bad mimetype', { type: 'document', media: { mimetype: 'pdf', data: 'AAAA' } }, /mimetype/],
    [
      'image with a pdf',
      { type: 'image', media: { mimetype: 'application/pdf', data: 'AAAA' } },
      /image\/\*/,
    ],
    ['audio with a video', { type: 'audio', media: { mimetype: 'video/mp4', data: 'AAAA' } }, /audio\/\*/],
    ['latitude', { type: 'location', latitude: 91, longitude: 0 }, /latitude/],
    ['longitude NaN', { type: 'location', latitude: 0, longitude: Number.NaN }, /longitude/],
    ['vCard', { type: 'contact', vCard: 'hello' }, /vCard/],
    ['reaction without id', { type: 'reaction', messageId: '', emoji: 'x' }, /messageId/],
    ['poll with one option', { type: 'poll', name: 'Q', options: ['a'] }, /2 to 12/],
    ['poll duplicates', { type: 'poll', name: 'Q', options: ['a', 'a '] }, /distinct/],
    ['bad mention', { type: 'text', text: 'x', mentions: ['nobody'] }, /phone number/],
    ['bad mention id', { type: 'text', text: 'x', mentions: ['x@example.com'] }, /chat id/],
    ['bad replyTo', { type: 'text', text: 'x', replyTo: '' }, /replyTo/],
    ['unknown type', { type: 'buttons' }, /unknown message type/],
  ];
  it.each(invalid)('refuses %s', (_name, m, why) => {
    expect(() => validateOutgoingMessage(m as OutgoingMessage)).toThrow(why);
  });
});
