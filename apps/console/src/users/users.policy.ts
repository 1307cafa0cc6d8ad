import { ROLES, roleLabel, type Role } from '../session/permissions.policy';

/** What each role may do, in the words the invite form and the role picker show. */
const ROLE_HINTS: Readonly<Record<Role, string>> = {
  admin: 'everything, including API keys, users and webhooks',
  support: 'chats, auto-replies and FAQ bots',
  marketing: 'templates, contacts and campaigns',
  viewer: 'reads only',
};

export const ROLE_OPTIONS: readonly { value: Role; label: string }[] = ROLES.map((role) => ({
  value: role,
  label: `${roleLabel(role)}: ${ROLE_HINTS[role]}`,
}));

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/**
 * Whether a user is the account's only admin: the API refuses to demote or remove them (409
 * last_admin), so the page does not offer it.
 */
export function isLastAdmin(users: readonly { id: string; role: string }[], id: string): boolean {
  const admins = users.filter((u) => u.role === 'admin');
  return admins.length === 1 && admins[0]!.id === id;
}
