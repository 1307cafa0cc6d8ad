import { IANAZone } from 'luxon';
import { DomainError } from '@wwb/runtime';
import { countryOf, defaultTimeZone, normalisePhone, tryNormalisePhone } from './phone-number.policy';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError';
  }
  return undefined;
};

describe('normalisePhone', () => {
  it.each([
    ['+15551234567', '+15551234567'],
    ['15551234567', '+15551234567'],
    ['15551234567@c.us', '+15551234567'],
    ['15551234567@s.whatsapp.net', '+15551234567'],
    ['+1 (555) 123-4567', '+15551234567'],
    ['0015551234567', '+15551234567'],
    [' +34 612 34 56 78 ', '+34612345678'],
    ['447911123456', '+447911123456'],
  ])('%s -> %s', (input, e164) => {
    expect(normalisePhone(input)).toBe(e164);
  });

  it.each([
    '',
    'abc',
    '+1555',
    '123',
    '+0123456789',
    '120363025555555555@g.us',
    '15551234567@lid',
    '+1555123456789012345',
    '+15551234567x',
  ])('refuses %p with invalid_phone', (input) => {
    expect(codeOf(() => normalisePhone(input))).toBe('invalid_phone');
    expect(tryNormalisePhone(input)).toBeNull();
  });
});

describe('defaultTimeZone', () => {
  it.each([
    ['+12125551234', 'America/New_York'],
    ['+15551234567', 'America/New_York'],
    ['+447911123456', 'Europe/London'],
    ['+34612345678', 'Europe/Madrid'],
    ['+5491123456789', 'America/Argentina/Buenos_Aires'],
    ['+5511987654321', 'America/Sao_Paulo'],
    ['+4915112345678', 'Europe/Berlin'],
    ['+919876543210', 'Asia/Kolkata'],
    ['+79123456789', 'Europe/Moscow'],
    ['+61412345678', 'Australia/Sydney'],
    ['+525512345678', 'America/Mexico_City'],
  ])('%s -> %s', (phone, zone) => {
    expect(defaultTimeZone(phone)).toBe(zone);
  });

  it('is UTC when the country is unknown', () => {
    expect(countryOf('+8881234567')).toBeNull();
    expect(defaultTimeZone('+8881234567')).toBe('UTC');
  });

  it('only ever answers valid IANA zones', () => {
    const phones = ['+12125551234', '+447911123456', '+33612345678', '+861391234567', '+6281234567890'];
    for (const p of phones) expect(IANAZone.isValidZone(defaultTimeZone(p))).toBe(true);
  });
});
