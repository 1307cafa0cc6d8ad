import { IANAZone } from 'luxon';
import { DomainError } from '@wwb/runtime';

export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue>;

export const CONTACT_LIMITS = {
  nameLength: 200,
  tags: 50,
  tagLength: 50,
  attributes: 50,
  attributeKeyLength: 64,
  attributeValueLength: 1024,
  /** JSON size of all attributes of one contact. */
  attributesBytes: 16 * 1024,
  reasonLength: 500,
} as const;

/** Slugs: lower-case letters, digits, `-` and `_`, starting with a letter or digit. */
const TAG = /^[a-z0-9][a-z0-9_-]*$/;
/** Usable as `{{contact.attributes.<key>}}` in a Handlebars template. */
const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A tag as stored (trimmed, lower-cased), or 400 invalid_tag. */
export function normaliseTag(input: string): string {
  const tag = input.trim().toLowerCase();
  if (!TAG.test(tag) || tag.length > CONTACT_LIMITS.tagLength) {
    throw DomainError.invalid(
      'invalid_tag',
      `a tag is a slug of at most ${CONTACT_LIMITS.tagLength} characters (a-z, 0-9, - and _)`,
      { tag: input.slice(0, 100) },
    );
  }
  return tag;
}

/** Normalised, de-duplicated tags (first occurrence order). */
export function normaliseTags(input: readonly string[]): string[] {
  return [...new Set(input.map(normaliseTag))];
}

/** Tags a contact ends up with, or 400 too_many_tags. */
export function checkTagCount(tags: readonly string[]): string[] {
  if (tags.length > CONTACT_LIMITS.tags) {
    throw DomainError.invalid('too_many_tags', `a contact has at most ${CONTACT_LIMITS.tags} tags`, {
      limit: CONTACT_LIMITS.tags,
      count: tags.length,
    });
  }
  return [...tags];
}

const invalidAttribute = (key: string, message: string) =>
  DomainError.invalid('invalid_attribute', message, { attribute: key.slice(0, 100) });

/** One attribute, or 400 invalid_attribute: a flat string, finite number, boolean or null. */
export function checkAttribute(key: string, value: unknown): AttributeValue {
  if (!ATTRIBUTE_KEY.test(key) || key.length > CONTACT_LIMITS.attributeKeyLength) {
    throw invalidAttribute(
      key,
      `attribute names are letters, digits and _ (not first), at most ${CONTACT_LIMITS.attributeKeyLength} characters`,
    );
  }
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidAttribute(key, `attribute ${key} must be a finite number`);
    return value;
  }
  if (typeof value === 'string') {
    if (value.length > CONTACT_LIMITS.attributeValueLength) {
      throw invalidAttribute(
        key,
        `attribute ${key} is longer than ${CONTACT_LIMITS.attributeValueLength} characters`,
      );
    }
    return value;
  }
  throw invalidAttribute(key, `attribute ${key} must be a string, number, boolean or null`);
}

/**
 * `current` with `changes` merged in; a null value removes the key (PATCH and import semantics).
 * Throws 400 invalid_attribute, too_many_attributes or attributes_too_large.
 */
export function mergeAttributes(current: Attributes, changes: Record<string, unknown>): Attributes {
  const next: Attributes = { ...current };
  for (const [key, raw] of Object.entries(changes)) {
    const value = checkAttribute(key, raw);
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const count = Object.keys(next).length;
  if (count > CONTACT_LIMITS.attributes) {
    throw DomainError.invalid(
      'too_many_attributes',
      `a contact has at most ${CONTACT_LIMITS.attributes} attributes`,
      { limit: CONTACT_LIMITS.attributes, count },
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(next));
  if (bytes > CONTACT_LIMITS.attributesBytes) {
    throw DomainError.invalid(
      'attributes_too_large',
      `the attributes of a contact take at most ${CONTACT_LIMITS.attributesBytes} bytes as JSON`,
      { limitBytes: CONTACT_LIMITS.attributesBytes, bytes },
    );
  }
  return next;
}

/** The canonical IANA name of a time zone ("europe/paris" -> "Europe/Paris"), or 400 invalid_time_zone. */
export function normaliseTimeZone(input: string): string {
  const zone = input.trim();
  if (zone === '' || zone.length > 64 || !IANAZone.isValidZone(zone)) {
    throw DomainError.invalid(
      'invalid_time_zone',
      'timeZone must be an IANA time zone (e.g. Europe/Madrid)',
      {
        timeZone: input.slice(0, 100),
      },
    );
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** The canonical BCP-47 tag ("pt-br" -> "pt-BR"), or 400 invalid_language. */
export function normaliseLanguage(input: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(input.trim());
    if (canonical && canonical.length <= 35) return canonical;
  } catch {
    // fall through
  }
  throw DomainError.invalid('invalid_language', 'language must be a BCP-47 tag (e.g. es, pt-BR)', {
    language: input.slice(0, 100),
  });
}

/** A trimmed name (null when empty), or 400 invalid_name. */
export function normaliseName(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  const name = input.trim();
  if (name.length > CONTACT_LIMITS.nameLength) {
    throw DomainError.invalid('invalid_name', `name is longer than ${CONTACT_LIMITS.nameLength} characters`);
  }
  return name === '' ? null : name;
}
