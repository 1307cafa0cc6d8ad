import { getCountry } from 'countries-and-timezones';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DomainError } from '@wwb/runtime';

/**
 * The most populous zone of countries that span several; countries-and-timezones lists zones
 * alphabetically (the US would get America/Adak), so its first zone is only used for the rest.
 */
const MAIN_ZONE: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Kinshasa',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  FM: 'Pacific/Pohnpei',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Majuro',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Gaza',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  UM: 'Pacific/Honolulu',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
  VN: 'Asia/Ho_Chi_Minh',
};

const WHATSAPP_USER_ID = /^(\d{5,20})@(?:c\.us|s\.whatsapp\.net)$/;

export const invalidPhone = (input: string) =>
  DomainError.invalid('invalid_phone', 'phone must be an international number (E.164, e.g. +15551234567)', {
    phone: input.slice(0, 64),
  });

/**
 * E.164 of `input`: "+15551234567", "15551234567" (digits are read as international, country
 * code first, as WhatsApp ids are), "0015551234567", "+1 (555) 123-4567" or a WhatsApp user id
 * "15551234567@c.us". The number must have a possible length for its country; validity of the
 * number range is not required (test and simulator numbers such as +1 555 are accepted).
 * Throws 400 invalid_phone.
 */
export function normalisePhone(input: string): string {
  const raw = input.trim();
  const waId = WHATSAPP_USER_ID.exec(raw);
  let candidate = waId ? waId[1]! : raw.replace(/[\s().-]/g, '');
  if (candidate.startsWith('00')) candidate = candidate.slice(2);
  else if (candidate.startsWith('+')) candidate = candidate.slice(1);
  if (!/^[1-9]\d{4,16}$/.test(candidate)) throw invalidPhone(input);
  const parsed = parsePhoneNumberFromString(`+${candidate}`);
  if (!parsed || !parsed.isPossible()) throw invalidPhone(input);
  return parsed.number;
}

/** normalisePhone, or null when the input is not a phone number. */
export function tryNormalisePhone(input: string): string | null {
  try {
    return normalisePhone(input);
  } catch {
    return null;
  }
}

/** ISO country of an E.164 number (the main country of its calling code when the range is unknown). */
export function countryOf(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  return parsed.country ?? parsed.getPossibleCountries()[0] ?? null;
}

/** The default time zone of a contact: its country's main zone, UTC when the country is unknown. */
export function defaultTimeZone(e164: string): string {
  const country = countryOf(e164);
  if (!country) return 'UTC';
  const main = MAIN_ZONE[country];
  if (main) return main;
  return getCountry(country)?.timezones[0] ?? 'UTC';
}
