import {
  mapAck,
  mapMessageType,
  normalizeCall,
  normalizeGroupNotification,
  normalizeMessage,
  normalizeReaction,
  quotedMessageIdOf,
  readMessageId,
  widToString,
} from './webjs-message.mapper';

const ME = '15550001111@c.us';
const PEER = '15550002222@c.us';

/** What WhatsApp Web's Msg.serialize() gives whatsapp-web.js (wids as objects). */
const wid = (s: string) => ({ _serialized: s, user: s.split('@')[0], server: s.split('@')[1] });

describe('webjs message mapping', () => {
  it('reads wids and message ids in both shapes', () => {
    expect(widToString('1@c.us')).toBe('1@c.us');
    expect(widToString(wid('1@c.us'))).toBe('1@c.us');
    expect(widToString({ user: '1', server: 'c.us' })).toBe('1@c.us');
    expect(widToString(42)).toBeUndefined();
    expect(readMessageId({ fromMe: true, remote: wid(PEER), id: 'ABC' })).toEqual({
      fromMe: true,
      remote: PEER,
      id: 'ABC',
      serialized: `true_${PEER}_ABC`,
    });
    expect(readMessageId({ fromMe: false, remote: '1-2@g.us', id: 'X', participant: PEER })?.serialized).toBe(
      `false_1-2@g.us_X_${PEER}`,
    );
    expect(readMessageId({ remote: PEER })).toBeUndefined();
  });

  it('maps library types to ours', () => {
    expect(
      ['chat', 'ptt', 'vcard', 'multi_vcard', 'poll_creation', 'e2e_notification'].map(mapMessageType),
    ).toEqual(['text', 'audio', 'contact', 'contact', 'poll', 'unknown']);
  });

  it('normalizes an inbound text', () => {
    const m = normalizeMessage(
      {
        id: { fromMe: false, remote: PEER, id: '3A01', _serialized: `false_${PEER}_3A01` },
        type: 'chat',
        body: 'hello',
        t: 1_700_000_000,
        from: wid(PEER),
        to: wid(ME),
        ack: 1,
        mentionedJidList: [wid('15550003333@c.us')],
        isForwarded: true,
      },
      ME,
    );
    expect(m).toEqual({
      id: `false_${PEER}_3A01`,
      chatId: PEER,
      from: PEER,
      to: ME,
      fromMe: false,
      type: 'text',
      rawType: 'chat',
      body: 'hello',
      timestamp: 1_700_000_000_000,
      hasMedia: false,
      mentions: ['15550003333@c.us'],
      vCards: [],
      isForwarded: true,
    });
  });

  it('normalizes media (caption as body, voice notes, gif)', () => {
    const base = {
      id: { fromMe: true, remote: PEER, id: 'M' },
      t: 1,
      from: ME,
      to: PEER,
      directPath: '/v/x',
    };
    expect(
      normalizeMessage({
        ...base,
        type: 'image',
        caption: 'cap',
        body: '/9j/base64thumb',
        mimetype: 'image/jpeg',
        size: 10,
      }),
    ).toMatchObject({
      type: 'image',
      body: 'cap',
      hasMedia: true,
      media: { mimetype: 'image/jpeg', size: 10 },
    });
    expect(
      normalizeMessage({ ...base, type: 'ptt', mimetype: 'audio/ogg; codecs=opus', duration: '7' }),
    ).toMatchObject({
      type: 'audio',
      rawType: 'ptt',
      body: '',
      media: { voice: true, duration: 7 },
    });
    expect(normalizeMessage({ ...base, type: 'video', isGif: true, mimetype: 'video/mp4' })?.media).toEqual({
      mimetype: 'video/mp4',
      gif: true,
    });
  });

  it('normalizes location, contacts and polls', () => {
    const base = { id: { fromMe: false, remote: PEER, id: 'L' }, t: 1, from: PEER, to: ME };
    expect(
      normalizeMessage({
        ...base,
        type: 'location',
        lat: 1.5,
        lng: -2.5,
        loc: 'Home\nMain St 1',
        clientUrl: 'https://x',
      }),
    ).toMatchObject({
      type: 'location',
      body: 'Home\nMain St 1',
      location: { latitude: 1.5, longitude: -2.5, name: 'Home', address: 'Main St 1', url: 'https://x' },
    });
    const vcard = 'BEGIN:VCARD\nFN:A\nEND:VCARD';
    expect(normalizeMessage({ ...base, type: 'vcard', body: vcard })).toMatchObject({
      type: 'contact',
      body: '',
      vCards: [vcard],
    });
    expect(
      normalizeMessage({
        ...base,
        type: 'multi_vcard',
        vcardList: [{ vcard }, { vcard: vcard.replace('A', 'B') }],
      })?.vCards,
    ).toHaveLength(2);
    expect(
      normalizeMessage({
        ...base,
        type: 'poll_creation',
        pollName: 'Q?',
        pollOptions: [
          { name: 'a', localId: 0 },
          { name: 'b', localId: 1 },
        ],
        pollSelectableOptionsCount: 1,
      }),
    ).toMatchObject({
      type: 'poll',
      body: 'Q?',
      poll: { name: 'Q?', options: ['a', 'b'], allowMultipleAnswers: false },
    });
  });

  it('rebuilds the quoted message id', () => {
    expect(quotedMessageIdOf({ quotedStanzaID: 'Q1', quotedParticipant: wid(PEER) }, PEER, ME)).toBe(
      `false_${PEER}_Q1`,
    );
    expect(quotedMessageIdOf({ quotedStanzaID: 'Q2', quotedParticipant: ME }, PEER, ME)).toBe(
      `true_${PEER}_Q2`,
    );
    expect(
      quotedMessageIdOf({ quotedStanzaID: 'Q3', quotedParticipant: '15550001111:12@c.us' }, PEER, ME),
    ).toBe(`true_${PEER}_Q3`);
    expect(
      quotedMessageIdOf(
        { quotedStanzaID: 'Q4', quotedParticipant: PEER, quotedRemoteJid: '9-9@g.us' },
        '9-9@g.us',
        ME,
      ),
    ).toBe(`false_9-9@g.us_Q4_${PEER}`);
    expect(quotedMessageIdOf({}, PEER, ME)).toBeUndefined();
  });

  it('degrades on junk instead of throwing', () => {
    expect(normalizeMessage(null)).toBeUndefined();
    expect(normalizeMessage({ id: 'x' })).toBeUndefined();
    const m = normalizeMessage({ id: { remote: PEER, id: 'Z' } });
    expect(m).toMatchObject({ type: 'unknown', rawType: 'unknown', body: '', from: '', fromMe: false });
  });

  it('maps acks; pending and unknown values give nothing', () => {
    expect([-1, 0, 1, 2, 3, 4, 5, '2'].map(mapAck)).toEqual([
      'failed',
      undefined,
      'sent',
      'delivered',
      'read',
      'played',
      undefined,
      undefined,
    ]);
  });

  it('normalizes reactions, group notifications and calls', () => {
    expect(
      normalizeReaction({
        id: { _serialized: 'false_x_R1' },
        msgId: { fromMe: true, remote: PEER, id: 'M1', _serialized: `true_${PEER}_M1` },
        senderId: PEER,
        reaction: '❤',
        timestamp: 1_700_000_000.5,
      }),
    ).toEqual({
      messageId: `true_${PEER}_M1`,
      reactionId: 'false_x_R1',
      from: PEER,
      reaction: '❤',
      timestamp: 1_700_000_000_500,
    });
    expect(
      normalizeGroupNotification({
        id: { fromMe: false, remote: '1-2@g.us', id: 'G' },
        type: 'add',
        author: PEER,
        recipientIds: [wid(ME)],
        body: '',
        timestamp: 5,
      }),
    ).toEqual({
      chatId: '1-2@g.us',
      action: 'add',
      author: PEER,
      participants: [ME],
      body: '',
      timestamp: 5_000,
    });
    expect(
      normalizeCall({ id: 'C1', from: PEER, isVideo: true, isGroup: false, fromMe: false, timestamp: 9 }),
    ).toEqual({
      callId: 'C1',
      from: PEER,
      isVideo: true,
      isGroup: false,
      fromMe: false,
      timestamp: 9_000,
    });
    expect(normalizeReaction({})).toBeUndefined();
    expect(normalizeCall({})).toBeUndefined();
  });
});
