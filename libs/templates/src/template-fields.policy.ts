import { DomainError } from '@wwb/runtime';
import { CONTACT_ROOT, FORBIDDEN_SEGMENTS, VARIABLE_NAME } from './template-analysis.policy';
import { TemplateMedia, TemplateVariable } from './template.schema';

export const TEMPLATE_ID_PATTERN = /^tpl_[0-9A-Z]{26}$/;
const UPLOAD_ID = /^upl_[0-9A-Z]{26}$/;
export const MAX_BODY_LENGTH = 4_096;
export const MAX_VARIABLES = 50;

/** A BCP-47 tag in its canonical form (`pt-br` -> `pt-BR`), or 400 `invalid_language`. */
export function canonicalLanguage(tag: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical) return canonical;
  } catch {
    // reported below
  }
  throw DomainError.invalid(
    'invalid_language',
    `language "${tag}" is not a BCP-47 language tag (e.g. en, pt-BR)`,
  );
}

/** Variable names are paths, unique, never under `contact` (always there) or JavaScript's own names. */
export function checkVariables(variables: TemplateVariable[]): void {
  const problems: { name: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const v of variables) {
    if (!VARIABLE_NAME.test(v.name)) {
      problems.push({
        name: v.name,
        message: 'must be identifiers joined by dots, e.g. orderId or order.total',
      });
    } else if (v.name.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) {
      problems.push({ name: v.name, message: 'uses a reserved JavaScript property name' });
    } else if (v.name.split('.')[0] === CONTACT_ROOT) {
      problems.push({ name: v.name, message: 'contact.* is always available and cannot be declared' });
    } else if (seen.has(v.name)) {
      problems.push({ name: v.name, message: 'is declared twice' });
    }
    seen.add(v.name);
  }
  if (problems.length) {
    throw DomainError.invalid(
      'invalid_variable',
      `variable ${problems[0]!.name} ${problems[0]!.message}`,
      problems,
    );
  }
}

/** Exactly one of url (http or https) and uploadId. The URL itself is checked when a message is sent. */
export function checkMedia(media: TemplateMedia): TemplateMedia {
  const fail = (message: string) => DomainError.invalid('invalid_template_media', message);
  if ((media.url === undefined) === (media.uploadId === undefined)) {
    throw fail('media needs exactly one of url and uploadId');
  }
  if (media.url !== undefined) {
    let url: URL;
    try {
      url = new URL(media.url);
    } catch {
      throw fail('media.url is not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('media.url must be http or https');
  }
  if (media.uploadId !== undefined && !UPLOAD_ID.test(media.uploadId)) {
    throw fail('media.uploadId is not an id returned by POST /v1/media');
  }
  const out: TemplateMedia = { type: media.type };
  if (media.url !== undefined) out.url = media.url;
  if (media.uploadId !== undefined) out.uploadId = media.uploadId;
  if (media.filename !== undefined) out.filename = media.filename;
  return out;
}
