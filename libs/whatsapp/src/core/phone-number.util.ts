import { WhatsAppDriverError } from '../whatsapp-driver.error';

const CHAT_SUFFIXES = ['c.us', 'g.us', 'lid', 'broadcast', 'newsletter'] as const;

/**
 * Digits of an international phone number: `+1 (555) 123-4567`, `0015551234567` or `15551234567`
 * give `15551234567`. E.164 allows at most 15 digits and no leading zero after the prefix.
 * Throws `invalid_message` otherwise.
 */
export function normalizePhoneNumber(input: string): string {
  let s = input.trim().replace(/[\s().-]/g, '');
  if (s.startsWith('+')) s = s.slice(1);
  else if (s.startsWith('00')) s = s.slice(2);
  if (!/^[1-9]\d{6,14}$/.test(s)) {
    throw new WhatsAppDriverError('invalid_message', `not an international phone number: "${input}"`);
  }
  return s;
}

/** True for an E.164-like phone number (see normalizePhoneNumber). */
export function isPhoneNumber(input: string): boolean {
  try {
    normalizePhoneNumber(input);
    return true;
  } catch {
    return false;
  }
}

/**
 * A chat id for a phone number or an existing chat id: `+15551234567` -> `15551234567@c.us`;
 * `123-456@g.us`, `...@lid`, `status@broadcast` are returned as they are (validated).
 */
export function toChatId(phoneOrChatId: string): string {
  const s = phoneOrChatId.trim();
  if (!s.includes('@')) return `${normalizePhoneNumber(s)}@c.us`;
  const at = s.lastIndexOf('@');
  const user = s.slice(0, at);
  const server = s.slice(at + 1);
  if (!(CHAT_SUFFIXES as readonly string[]).includes(server) || !/^[\w.:-]+$/.test(user)) {
    throw new WhatsAppDriverError('invalid_message', `not a WhatsApp chat id: "${phoneOrChatId}"`);
  }
  if (server === 'c.us' && !/^\d{5,20}$/.test(user)) {
    throw new WhatsAppDriverError('invalid_message', `not a WhatsApp user chat id: "${phoneOrChatId}"`);
  }
  return `${user}@${server}`;
}

export function isGroupChatId(chatId: string): boolean {
  return chatId.endsWith('@g.us');
}

/** The phone digits of a `<digits>@c.us` chat id, or undefined (groups, lids, ...). */
export function phoneNumberOfChatId(chatId: string): string | undefined {
  const m = /^(\d+)@c\.us$/.exec(chatId);
  return m ? m[1] : undefined;
}

/**
 * Deterministic "is this number on WhatsApp" rule shared by the simulator and the fake
 * WhatsApp Web page: every valid number is registered except those ending in 0000.
 */
export function simulatedIsRegistered(digits: string): boolean {
  return /^\d{7,15}$/.test(digits) && !digits.endsWith('0000');
}
