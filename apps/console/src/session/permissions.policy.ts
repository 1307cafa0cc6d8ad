/** Roles of console users (the API's USER_ROLES) and what the console offers each of them. */
export const ROLES = ['admin', 'support', 'marketing', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type ConsoleAction = 'connections.manage';

/**
 * Mirrors the API's role policy for what the console shows: a control the role cannot use is not
 * offered (the API refuses it anyway with 403 forbidden_role). Managing connections (create,
 * restart, log out, delete, pairing codes) is the admin's; support, marketing and viewers look.
 */
const ALLOWED: Readonly<Record<ConsoleAction, readonly Role[]>> = {
  'connections.manage': ['admin'],
};

export function can(role: string | undefined, action: ConsoleAction): boolean {
  return ALLOWED[action].some((r) => r === role);
}

const LABELS: Readonly<Record<Role, string>> = {
  admin: 'Admin',
  support: 'Support',
  marketing: 'Marketing',
  viewer: 'Viewer',
};

export const roleLabel = (role: string): string => LABELS[role as Role] ?? role;
