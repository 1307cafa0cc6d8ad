/** Roles of console users (the API's USER_ROLES) and what the console offers each of them. */
export const ROLES = ['admin', 'support', 'marketing', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type ConsoleAction =
  | 'connections.manage'
  | 'conversations.reply'
  | 'auto-replies.manage'
  | 'faq-bots.manage'
  | 'templates.manage'
  | 'contacts.manage'
  | 'contacts.opt-out'
  | 'campaigns.manage'
  | 'webhooks.manage'
  | 'api-keys.manage'
  | 'users.manage';

/**
 * Mirrors the API's role policy (libs/accounts role.policy.ts) for what the console shows: a
 * control the role cannot use is not offered (the API refuses it anyway with 403
 * forbidden_role). Admins do everything; support answers chats and keeps the bots; marketing
 * keeps templates, contacts and campaigns; viewers look. API keys and users are the admin's
 * alone, reading included.
 */
const ALLOWED: Readonly<Record<ConsoleAction, readonly Role[]>> = {
  'connections.manage': ['admin'],
  'conversations.reply': ['admin', 'support'],
  'auto-replies.manage': ['admin', 'support'],
  'faq-bots.manage': ['admin', 'support'],
  'templates.manage': ['admin', 'marketing'],
  'contacts.manage': ['admin', 'marketing'],
  'contacts.opt-out': ['admin', 'support', 'marketing'],
  'campaigns.manage': ['admin', 'marketing'],
  'webhooks.manage': ['admin'],
  'api-keys.manage': ['admin'],
  'users.manage': ['admin'],
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
