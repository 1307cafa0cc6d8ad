/** The console's session cookie. */
export const SESSION_COOKIE = 'wwb_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request with this method changes something (and so needs the CSRF header with a session). */
export const isUnsafeMethod = (method: string): boolean => !SAFE_METHODS.has(method.toUpperCase());

/** The session token from a Cookie header, or undefined. The first of duplicate cookies wins. */
export function readSessionCookie(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value.length ? value : undefined;
  }
  return undefined;
}

/**
 * Secure when the browser reached us over https: directly, through a proxy trusted for
 * X-Forwarded-Proto (TRUST_PROXY, so express' req.secure), or behind a PUBLIC_BASE_URL in https
 * (a TLS terminator that does not forward the protocol).
 */
export function wantsSecureCookie(req: { secure?: boolean }, publicBaseUrl: string): boolean {
  return req.secure === true || publicBaseUrl.toLowerCase().startsWith('https:');
}

/**
 * The Set-Cookie value of a session. HttpOnly: scripts never read it; SameSite=Strict: other
 * sites' pages never send it (the CSRF header is the second line of defence).
 */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [
    `${SESSION_COOKIE}=${token}`,
    'HttpOnly',
    'SameSite=Strict',
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** Set-Cookie that makes the browser forget the session. */
export const clearedSessionCookie = (secure: boolean): string => sessionCookie('', 0, secure);
