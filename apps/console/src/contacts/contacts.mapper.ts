import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type Contact = Schemas['ContactDto'];
export type ImportResult = Schemas['ImportResultDto'];

export type OptOutFilter = 'any' | 'in' | 'out';

/** The search as typed in the form; applied on submit. */
export interface ContactFilter {
  q: string;
  tags: string;
  status: OptOutFilter;
}

export const NO_FILTER: ContactFilter = { q: '', tags: '', status: 'any' };

/**
 * Tags as typed ("VIP, newsletter  es") -> ['vip', 'newsletter', 'es']: commas or spaces
 * separate them, case is dropped as the API does, repeats are dropped. Whether each is a valid
 * slug is the API's to say (invalid_tag), shown next to the field.
 */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[\s,;]+/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}

export const formatTags = (tags: readonly string[]): string => tags.join(', ');

/** The list's and the export's query of a filter (the export takes the same filters). */
export function filterQuery(filter: ContactFilter): { q?: string; tag?: string[]; optedOut?: boolean } {
  const q = filter.q.trim();
  const tags = parseTags(filter.tags);
  return {
    ...(q ? { q } : {}),
    ...(tags.length ? { tag: tags } : {}),
    ...(filter.status === 'any' ? {} : { optedOut: filter.status === 'out' }),
  };
}

/** GET /v1/contacts/export with the filter, as a link the browser downloads (the cookie goes along). */
export function exportHref(filter: ContactFilter): string {
  const query = filterQuery(filter);
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const tag of query.tag ?? []) params.append('tag', tag);
  if (query.optedOut !== undefined) params.set('optedOut', String(query.optedOut));
  const search = params.toString();
  return `/v1/contacts/export${search ? `?${search}` : ''}`;
}

/**
 * The applied search in the page's address (`?q=&tags=&optedOut=`), so a reload, a bookmark or a
 * shared link shows the same contacts. Tags are kept as the API reads them (`vip,es`).
 */
export function filterSearch(filter: ContactFilter): string {
  const query = filterQuery(filter);
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.tag) params.set('tags', query.tag.join(','));
  if (query.optedOut !== undefined) params.set('optedOut', String(query.optedOut));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The search an address carries (path and query, as the router keys it); anything else is ignored. */
export function filterFromUrl(pathAndSearch: string): ContactFilter {
  const params = new URL(pathAndSearch, 'http://console.invalid').searchParams;
  const optedOut = params.get('optedOut');
  return {
    q: params.get('q')?.trim() ?? '',
    tags: formatTags(parseTags(params.get('tags') ?? '')),
    status: optedOut === 'true' ? 'out' : optedOut === 'false' ? 'in' : 'any',
  };
}

/** The name to call a contact by in labels: the given or WhatsApp name, else the number. */
export const displayName = (contact: Contact): string => contact.name ?? contact.pushName ?? contact.phone;

/** "3 created, 1 updated, 1 failed". */
export function importSummary(result: ImportResult): string {
  return `${result.created} created, ${result.updated} updated, ${result.failed} failed`;
}

/** The API lists the first 100 row errors; say so when more rows failed. */
export function listedErrorsNote(result: ImportResult): string {
  return result.failed > result.errors.length
    ? ` (the first ${result.errors.length} of ${result.failed})`
    : '';
}
