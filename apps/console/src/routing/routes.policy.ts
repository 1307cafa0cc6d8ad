/** The console's pages, by URL under /console (the API serves index.html for each of them). */
export const BASE = '/console';

const seg = encodeURIComponent;

export const urls = {
  home: `${BASE}/`,
  signIn: `${BASE}/sign-in`,
  operatorSignIn: `${BASE}/operator/sign-in`,
  acceptInvitation: `${BASE}/accept-invitation`,
  connections: `${BASE}/connections`,
  connection: (id: string) => `${BASE}/connections/${seg(id)}`,
  conversations: `${BASE}/conversations`,
  conversation: (connectionId: string, chatId: string) =>
    `${BASE}/conversations/${seg(connectionId)}/${seg(chatId)}`,
  autoReplies: `${BASE}/auto-replies`,
  autoReply: (id: string) => `${BASE}/auto-replies/${seg(id)}`,
  faqBots: `${BASE}/faq-bots`,
  faqBot: (id: string) => `${BASE}/faq-bots/${seg(id)}`,
  templates: `${BASE}/templates`,
  template: (id: string) => `${BASE}/templates/${seg(id)}`,
  contacts: `${BASE}/contacts`,
  campaigns: `${BASE}/campaigns`,
  campaign: (id: string) => `${BASE}/campaigns/${seg(id)}`,
  campaignRun: (id: string, runId: string) => `${BASE}/campaigns/${seg(id)}/runs/${seg(runId)}`,
  webhooks: `${BASE}/webhooks`,
  webhook: (id: string) => `${BASE}/webhooks/${seg(id)}`,
  apiKeys: `${BASE}/api-keys`,
  users: `${BASE}/users`,
  usage: `${BASE}/usage`,
  operatorAccounts: `${BASE}/operator/accounts`,
} as const;

/**
 * Every page of the console: its name and its path under BASE, where `:name` is one segment
 * (decoded into the route's params). `new` is an ordinary id to the detail pages that take it
 * (a rule, bot, template, campaign or webhook being created).
 */
const PAGES = {
  home: '',
  'sign-in': 'sign-in',
  'operator-sign-in': 'operator/sign-in',
  'accept-invitation': 'accept-invitation',
  connections: 'connections',
  connection: 'connections/:id',
  conversations: 'conversations',
  conversation: 'conversations/:connectionId/:chatId',
  'auto-replies': 'auto-replies',
  'auto-reply': 'auto-replies/:id',
  'faq-bots': 'faq-bots',
  'faq-bot': 'faq-bots/:id',
  templates: 'templates',
  template: 'templates/:id',
  contacts: 'contacts',
  campaigns: 'campaigns',
  campaign: 'campaigns/:id',
  'campaign-run': 'campaigns/:id/runs/:runId',
  webhooks: 'webhooks',
  webhook: 'webhooks/:id',
  'api-keys': 'api-keys',
  users: 'users',
  usage: 'usage',
  'operator-accounts': 'operator/accounts',
} as const;

export type RouteName = keyof typeof PAGES | 'not-found';

export interface Route {
  name: RouteName;
  /** The `:name` segments of the page's path, decoded. */
  params: Readonly<Record<string, string>>;
}

const NOT_FOUND: Route = { name: 'not-found', params: {} };

/** Pages that need no session (the operator's pages need the operator's session, checked there). */
export const isPublic = (route: Route): boolean =>
  route.name === 'sign-in' || route.name === 'accept-invitation' || route.name === 'operator-sign-in';

/** The operator's pages: no account, no sidebar. */
export const isOperator = (route: Route): boolean => route.name === 'operator-accounts';

const COMPILED = (Object.entries(PAGES) as [keyof typeof PAGES, string][]).map(([name, path]) => ({
  name,
  parts: path.split('/').filter(Boolean),
}));

export function matchRoute(pathname: string): Route {
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) return NOT_FOUND;
  const parts = pathname
    .slice(BASE.length)
    .split('/')
    .filter((p) => p !== '');
  for (const page of COMPILED) {
    if (page.parts.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const want = page.parts[i]!;
      if (want.startsWith(':')) {
        try {
          params[want.slice(1)] = decodeURIComponent(parts[i]!);
        } catch {
          ok = false;
        }
      } else ok = want === parts[i];
    }
    if (ok) return { name: page.name, params };
  }
  return NOT_FOUND;
}

/**
 * Where to go after signing in. Only a page of the console is accepted: a `next` pointing
 * elsewhere (`//evil.example`, `https://…`, `/console/../v1`) would make the sign-in page an open
 * redirect.
 */
export function safeNext(next: string | null | undefined, fallback: string = urls.connections): string {
  if (!next || !next.startsWith(`${BASE}/`) || /[\\]|\/\/|\/\.\.?(\/|$|\?|#)/.test(next)) {
    return fallback;
  }
  const route = matchRoute(next.split(/[?#]/)[0]!);
  return route.name === 'not-found' || isPublic(route) ? fallback : next;
}

/** The sign-in page, coming back to `next` (path and query) afterwards. */
export const signInUrl = (next: string): string =>
  `${urls.signIn}?${new URLSearchParams({ next: safeNext(next) }).toString()}`;
