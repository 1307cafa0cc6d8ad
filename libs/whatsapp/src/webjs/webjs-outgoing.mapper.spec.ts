import { Location, MessageMedia, Poll } from 'whatsapp-web.js';
import { toWebJsSend } from './webjs-outgoing.mapper';

const media = { mimetype: 'image/png', data: 'AAAA', filename: 'a.png' };

describe('toWebJsSend', () => {
  it('text: plain string, never marks the chat seen; reply and mentions as options', () => {
    expect(
      toWebJsSend({
        type: 'text',
        text: 'hi',
        replyTo: 'false_x_1',
        mentions: ['1@c.us'],
        linkPreview: false,
      }),
    ).toEqual({
      content: 'hi',
      options: { sendSeen: false, quotedMessageId: 'false_x_1', mentions: ['1@c.us'], linkPreview: false },
    });
  });

  it('media types map to MessageMedia plus the right flag', () => {
    const image = toWebJsSend({ type: 'image', media, caption: 'c', viewOnce: true });
    expect(image.content).toBeInstanceOf(MessageMedia);
    expect(image.content).toMatchObject({ mimetype: 'image/png', data: 'AAAA', filename: 'a.png' });
    expect(image.options).toEqual({ sendSeen: false, caption: 'c', isViewOnce: true });
    expect(toWebJsSend({ type: 'video', media, asGif: true }).options.sendVideoAsGif).toBe(true);
    expect(toWebJsSend({ type: 'audio', media, voice: true }).options.sendAudioAsVoice).toBe(true);
    expect(toWebJsSend({ type: 'document', media }).options.sendMediaAsDocument).toBe(true);
    expect(toWebJsSend({ type: 'sticker', media }).options.sendMediaAsSticker).toBe(true);
  });

  it('location, contact and poll', () => {
    const loc = toWebJsSend({ type: 'location', latitude: 1, longitude: 2, name: 'N', address: 'A' }).content;
    expect(loc).toBeInstanceOf(Location);
    expect(loc).toMatchObject({ latitude: 1, longitude: 2, name: 'N', address: 'A' });
    expect(toWebJsSend({ type: 'contact', vCard: 'BEGIN:VCARD' })).toEqual({
      content: 'BEGIN:VCARD',
      options: { sendSeen: false, parseVCards: true },
    });
    const poll = toWebJsSend({
      type: 'poll',
      name: 'Q',
      options: ['a', 'b'],
      allowMultipleAnswers: true,
    }).content;
    expect(poll).toBeInstanceOf(Poll);
    expect(poll).toMatchObject({
      pollName: 'Q',
      pollOptions: [
        { name: 'a', localId: 0 },
        { name: 'b', localId: 1 },
      ],
    });
  });
});
