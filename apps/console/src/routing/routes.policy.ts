/** The console's pages, by URL under /console (the API serves index.html for each of them). */
export const BASE = '/console';

export const urls = {
  home: `${BASE}/`,
  signIn: `${BASE}/sign-in`,
  acceptInvitation: `${BASE}/accept-invitation`,
  connections: `${BASE}/connections`,
  connection: (id: string) => `${BASE}/connections/${encodeURIComponent(id)}`,
  usage: `${BASE}/usage`,
} as const;

export type Route =
  | { name: 'home' }
  | { name: 'sign-in' }
  | { name: 'accept-invitation' }
  | { name: 'connections' }
  | { name: 'connection'; id: string }
  | { name: 'usage' }
  | { name: 'not-found' };

/** Pages that need no session. */
export const isPublic = (route: Route): boolean =>
  route.name === 'sign-in' || route.name === 'accept-invitation';

export function matchRoute(pathname: string): Route {
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) return { name: 'not-found' };
  const parts = pathname
    .slice(BASE.length)
    .split('/')
    .filter((p) => p !== '');
  if (parts.length === 0) return { name: 'home' };
  const [first, second, ...rest] = parts;
  if (rest.length) return { name: 'not-found' };
  if (second === undefined) {
    switch (first) {
      case 'sign-in':
        return { name: 'sign-in' };
      case 'accept-invitation':
        return { name: 'accept-invitation' };
      case 'connections':
        return { name: 'connections' };
      case 'usage':
        return { name: 'usage' };
      default:
        return { name: 'not-found' };
    }
  }
  if (first === 'connections') {
    try {
      return { name: 'connection', id: decodeURIComponent(second) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

/**
 * Where to go after signing in. Only a page of the console is accepted: a `next` pointing
 * elsewhere (`//evil.example`, `https://…`, `/console/../v1`) would make the sign-in page an open
 * redirect.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith(`${BASE}/`) || /[\\]|\/\/|\/\.\.?(\/|$|\?|#)/.test(next)) {
    return urls.connections;
  }
  const route = matchRoute(next.split(/[?#]/)[0]!);
  return route.name === 'not-found' || isPublic(route) ? urls.connections : next;
}

/** The sign-in page, coming back to `next` (path and query) afterwards. */
export const signInUrl = (next: string): string =>
  `${urls.signIn}?${new URLSearchParams({ next: safeNext(next) }).toString()}`;
