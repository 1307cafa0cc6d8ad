import { DomainError } from '@wwb/runtime';

/** The roles of console users (a closed list: the console and the policy below know each one). */
export const USER_ROLES = ['admin', 'support', 'marketing', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const isUserRole = (value: unknown): value is UserRole =>
  typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * A route pattern: `*` is one path segment (a `:param` of the route or a concrete value), `**`
 * as the last segment is the rest of the path (none included). Matching on segments rather than
 * prefixes keeps `/v1/users` from also granting a future `/v1/users-export`.
 */
type Pattern = readonly string[];
const pattern = (p: string): Pattern => p.split('/').filter(Boolean);

function matches(p: Pattern, segments: readonly string[]): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '**') return true;
    if (i >= segments.length) return false;
    if (p[i] !== '*' && p[i] !== segments[i]) return false;
  }
  return p.length === segments.length;
}

interface Grant {
  /** Upper-case methods, or 'any'. */
  methods: readonly string[] | 'any';
  path: Pattern;
}

const any = (path: string): Grant => ({ methods: 'any', path: pattern(path) });
const only = (methods: string[], path: string): Grant => ({ methods, path: pattern(path) });

/** Reads only an admin may make: they show or manage credentials and people. */
const ADMIN_ONLY_READS: readonly Pattern[] = [
  pattern('/v1/api-keys/**'),
  pattern('/v1/users/**'),
  pattern('/v1/automation/signing-secret'),
];

/**
 * Hand-off routes (take over a chat from the bot, give it back) are matched by name wherever
 * they sit, so that the support role keeps them when the automation or messaging libs add or
 * move one.
 */
const HANDOFF_SEGMENT = /^(hand-?off|hand-?back|take-?over|give-?back)s?$/;

/** What each role may change beyond reading; admin may do everything of its account. */
const WRITE_GRANTS: Readonly<Record<Exclude<UserRole, 'admin'>, readonly Grant[]>> = {
  viewer: [],
  support: [
    any('/v1/auto-replies/**'),
    any('/v1/faq-bots/**'),
    only(['POST'], '/v1/connections/*/messages'),
    any('/v1/connections/*/chats/**'),
    only(['POST'], '/v1/contacts/*/opt-out'),
    only(['POST'], '/v1/contacts/*/opt-in'),
  ],
  marketing: [
    any('/v1/templates/**'),
    any('/v1/contacts/**'),
    any('/v1/campaigns/**'),
    any('/v1/connections/*/bulk/**'),
    only(['POST'], '/v1/media'),
  ],
};

/** The route as the decision sees it: its segments, without a trailing slash, lower-case. */
function segmentsOf(routePath: string): string[] {
  return routePath.toLowerCase().split('?')[0]!.split('/').filter(Boolean);
}

/**
 * Whether a console user with `role` may call `method` on `routePath` (the route's pattern,
 * e.g. `/v1/connections/:id/messages`, or a concrete path). Pure: the guard passes the request's
 * method and `req.route.path`.
 */
export function roleAllows(role: UserRole, method: string, routePath: string): boolean {
  if (role === 'admin') return true;
  const segments = segmentsOf(routePath);
  if (ADMIN_ONLY_READS.some((p) => matches(p, segments))) return false;
  const verb = method.toUpperCase();
  if (READ_METHODS.has(verb)) return true;
  if (role === 'support' && segments[0] === 'v1' && segments.some((s) => HANDOFF_SEGMENT.test(s)))
    return true;
  return WRITE_GRANTS[role].some(
    (g) => (g.methods === 'any' || g.methods.includes(verb)) && matches(g.path, segments),
  );
}

/** 403 forbidden_role, naming the role and what it was refused. */
export function forbiddenRole(role: UserRole, method: string, routePath: string): DomainError {
  return new DomainError(
    'forbidden',
    'forbidden_role',
    `The ${role} role may not ${method.toUpperCase()} ${routePath}; ask an admin of the account`,
    { role },
  );
}
