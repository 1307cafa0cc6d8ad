import { validateHeaderName, validateHeaderValue } from 'node:http';
import { HeaderPair } from './webhook-endpoint.schema';

export const MAX_CUSTOM_HEADERS = 20;
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

/**
 * Headers an endpoint may not set: hop-by-hop headers (RFC 9110 7.6.1), what the transport or
 * the signature owns, and anything that would let a custom header pass for a signature.
 */
const REFUSED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'expect',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-hub-signature',
  'x-hub-signature-256',
]);
const REFUSED_PREFIXES = ['svix-', 'webhook-', 'x-forwarded-', ':'];

/** Validates custom headers: the pairs to store, or the problems found. */
export function parseCustomHeaders(
  headers: Record<string, unknown>,
): { ok: true; pairs: HeaderPair[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const entries = Object.entries(headers);
  if (entries.length > MAX_CUSTOM_HEADERS) problems.push(`at most ${MAX_CUSTOM_HEADERS} custom headers`);
  const seen = new Set<string>();
  const pairs: HeaderPair[] = [];
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || !nodeAccepts(() => validateHeaderName(name)))
      problems.push(`"${name}" is not a valid header name`);
    else if (REFUSED.has(lower) || REFUSED_PREFIXES.some((p) => lower.startsWith(p))) {
      problems.push(`"${name}" cannot be set (hop-by-hop, transport or signature header)`);
    } else if (seen.has(lower)) problems.push(`"${name}" is given twice`);
    if (typeof value !== 'string') problems.push(`the value of "${name}" must be a string`);
    else if (value.length > 1000 || /[\r\n\0]/.test(value)) {
      problems.push(`the value of "${name}" must be at most 1000 characters, without line breaks`);
    } else if (!nodeAccepts(() => validateHeaderValue(name, value))) {
      problems.push(
        `the value of "${name}" has characters a header cannot carry (control characters or beyond Latin-1)`,
      );
    }
    seen.add(lower);
    if (typeof value === 'string') pairs.push({ name, value });
  }
  return problems.length ? { ok: false, problems } : { ok: true, pairs };
}

/**
 * Whether node:http accepts the name or value when sending: what it would throw on at delivery
 * time (a synchronous error, no request at all) is refused when the endpoint is saved instead.
 */
function nodeAccepts(validate: () => void): boolean {
  try {
    validate();
    return true;
  } catch {
    return false;
  }
}

const MASK = '****';

/**
 * How a custom header value is shown by the API: never in full (they often carry credentials,
 * e.g. `Authorization`). Long values keep their last 4 characters so that they can be told apart.
 */
export function maskHeaderValue(value: string): string {
  return value.length >= 12 ? `${MASK}${value.slice(-4)}` : MASK;
}

/**
 * A PATCH's headers with masked values (as GET shows them, unchanged) replaced by the stored
 * values of the same header: a read-modify-write round trip keeps the credentials.
 */
export function unmaskHeaders(
  given: Record<string, unknown>,
  stored: readonly HeaderPair[],
): Record<string, unknown> {
  const byName = new Map(stored.map((h) => [h.name.toLowerCase(), h.value]));
  return Object.fromEntries(
    Object.entries(given).map(([name, value]) => {
      const old = byName.get(name.toLowerCase());
      return [name, old !== undefined && value === maskHeaderValue(old) ? old : value];
    }),
  );
}
