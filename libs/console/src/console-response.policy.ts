/**
 * How the console's files are answered: which file a URL means, its content type, how long a
 * browser may keep it, and the security headers of every console response.
 */

/** Vite writes content-hashed files here (`index-BX3k9aQz.js`): a new build gives new names. */
export const HASHED_ASSETS_DIR = 'assets';

/**
 * The browser may run and load only what the API itself serves. `img-src data:` is for the QR
 * code, which GET /v1/connections/{id}/qr returns as a PNG data URL; `style-src 'self'` still lets
 * React set element styles through the DOM, which CSP does not govern.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Index: no-cache makes the browser revalidate, so a new build's asset names are seen at once. */
export const INDEX_CACHE_CONTROL = 'no-cache';
export const HASHED_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Files kept under a fixed name (favicon, robots.txt) may change with any build. */
export const PLAIN_CACHE_CONTROL = 'public, max-age=300';

export type ConsoleTarget =
  /** A client route (`/console/connections/con_1`): the single page answers it. */
  | { kind: 'index' }
  /** A file of the build, relative to its folder, with forward slashes. */
  | { kind: 'file'; path: string }
  /** Not something the console has: 404 (never index.html for a script, which would not run). */
  | { kind: 'invalid' };

const FILE_NAME = /\.[a-z0-9]+$/i;
const SAFE_SEGMENT = /^[A-Za-z0-9._@-]+$/;

/**
 * What a request under the mount point asks for; `path` is what follows `/console`. Anything that
 * could leave the folder (`..`, encoded slashes, backslashes, NUL) is invalid, not normalised.
 */
export function consoleTarget(path: string): ConsoleTarget {
  if (/%(2f|5c|00)/i.test(path)) return { kind: 'invalid' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { kind: 'invalid' };
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.length === 0) return { kind: 'index' };
  const last = segments[segments.length - 1]!;
  // Only a name with the extension of a file a build has is a file; a chat id in a client route
  // (`/conversations/con_1/15557654321@c.us`) ends in something that looks like one too.
  const ext = FILE_NAME.exec(last)?.[0].toLowerCase();
  if (ext === undefined || !(ext in CONTENT_TYPES)) return { kind: 'index' };
  if (segments.some((s) => !SAFE_SEGMENT.test(s) || s.startsWith('.'))) return { kind: 'invalid' };
  if (segments.length === 1 && last === 'index.html') return { kind: 'index' };
  return { kind: 'file', path: segments.join('/') };
}

export function contentTypeOf(path: string): string {
  const ext = (FILE_NAME.exec(path)?.[0] ?? '').toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

export function cacheControlOf(target: ConsoleTarget): string {
  if (target.kind !== 'file') return INDEX_CACHE_CONTROL;
  return target.path.startsWith(`${HASHED_ASSETS_DIR}/`) ? HASHED_CACHE_CONTROL : PLAIN_CACHE_CONTROL;
}
