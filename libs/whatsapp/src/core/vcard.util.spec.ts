import { buildVCard, isVCard, parseVCard } from './vcard.util';

describe('vCards', () => {
  it('builds a vCard 3.0 with the waid parameter WhatsApp uses', () => {
    expect(
      buildVCard({ fullName: 'Ada Lovelace', phoneNumber: '+44 20 7946 0958', organization: 'Engines; Ltd' }),
    ).toBe(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Ada Lovelace',
        'ORG:Engines\\; Ltd',
        'TEL;type=CELL;type=VOICE;waid=442079460958:+442079460958',
        'END:VCARD',
      ].join('\n'),
    );
  });

  it('refuses an empty name or a too short number', () => {
    expect(() => buildVCard({ fullName: '  ' })).toThrow(/full name/);
    expect(() => buildVCard({ fullName: 'X', phoneNumber: '12' })).toThrow(/phone number/);
  });

  it('round-trips through parseVCard, escapes included', () => {
    const v = buildVCard({ fullName: 'A, B\\C', phoneNumber: '15551234567', email: 'a@b.c' });
    expect(parseVCard(v)).toEqual({
      fullName: 'A, B\\C',
      phones: [{ number: '+15551234567', waId: '15551234567' }],
      emails: ['a@b.c'],
    });
  });

  it('reads vCards as WhatsApp sends them (CRLF, folded lines, item prefixes, several numbers)', () => {
    const text =
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Bob;;;\r\nFN:Bob The\r\n  Builder\r\nitem1.TEL;waid=15550001111:+1 555-000-1111\r\n' +
      'item1.X-ABLabel:Mobile\r\nTEL;type=HOME:+1 555 000 2222\r\nEND:VCARD';
    expect(parseVCard(text)).toEqual({
      fullName: 'Bob The Builder',
      phones: [{ number: '+1 555-000-1111', waId: '15550001111' }, { number: '+1 555 000 2222' }],
      emails: [],
    });
  });

  it('rejects what is not a vCard', () => {
    expect(parseVCard('hello')).toBeUndefined();
    expect(isVCard('BEGIN:VCARD\nFN:x')).toBe(false);
    expect(isVCard('BEGIN:VCARD\nFN:x\nEND:VCARD')).toBe(true);
  });
});
