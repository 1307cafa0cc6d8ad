import {
  isGroupChatId,
  isPhoneNumber,
  normalizePhoneNumber,
  phoneNumberOfChatId,
  simulatedIsRegistered,
  toChatId,
} from './phone-number.util';
import { WhatsAppDriverError } from '../whatsapp-driver.error';

describe('phone numbers and chat ids', () => {
  it.each([
    ['+1 (555) 123-4567', '15551234567'],
    ['0015551234567', '15551234567'],
    ['15551234567', '15551234567'],
    [' +49 30 1234567 ', '49301234567'],
    ['+44.20.7946.0958', '442079460958'],
  ])('normalizes %s', (input, digits) => {
    expect(normalizePhoneNumber(input)).toBe(digits);
  });

  it.each(['', '+', '12345', '+0123456789', '+1234567890123456', 'abc1234567', '555-CALL-NOW'])(
    'refuses %j',
    (input) => {
      expect(() => normalizePhoneNumber(input)).toThrow(WhatsAppDriverError);
      expect(isPhoneNumber(input)).toBe(false);
    },
  );

  it('builds chat ids from phone numbers and validates existing ones', () => {
    expect(toChatId('+15551234567')).toBe('15551234567@c.us');
    expect(toChatId('120363025555555555@g.us')).toBe('120363025555555555@g.us');
    expect(toChatId('15551234567@c.us')).toBe('15551234567@c.us');
    expect(toChatId('123456789012345@lid')).toBe('123456789012345@lid');
    expect(toChatId('status@broadcast')).toBe('status@broadcast');
    expect(() => toChatId('someone@example.com')).toThrow(/not a WhatsApp chat id/);
    expect(() => toChatId('abc@c.us')).toThrow(/user chat id/);
    expect(() => toChatId('not-a-chat')).toThrow(WhatsAppDriverError);
  });

  it('tells groups and phone digits of chat ids', () => {
    expect(isGroupChatId('1-2@g.us')).toBe(true);
    expect(isGroupChatId('15551234567@c.us')).toBe(false);
    expect(phoneNumberOfChatId('15551234567@c.us')).toBe('15551234567');
    expect(phoneNumberOfChatId('1-2@g.us')).toBeUndefined();
  });

  it('simulated registration: every valid number except those ending in 0000', () => {
    expect(simulatedIsRegistered('15551234567')).toBe(true);
    expect(simulatedIsRegistered('15550000000')).toBe(false);
    expect(simulatedIsRegistered('123')).toBe(false);
  });
});
