import { forbiddenRole, isUserRole, roleAllows, USER_ROLES, UserRole } from './role.policy';

type Row = [method: string, route: string, allowed: readonly UserRole[]];

const ALL = USER_ROLES;
const ADMIN: readonly UserRole[] = ['admin'];

/** method, route pattern (as req.route.path gives it), the roles allowed. */
const TABLE: Row[] = [
  // Reads: every role, except credentials and people.
  ['GET', '/v1/account', ALL],
  ['GET', '/v1/connections', ALL],
  ['GET', '/v1/connections/:id/events', ALL],
  ['GET', '/v1/campaigns/:id/runs/:runId/progress', ALL],
  ['GET', '/v1/webhooks/:id', ALL],
  ['HEAD', '/v1/templates', ALL],
  ['GET', '/v1/api-keys', ADMIN],
  ['GET', '/v1/users', ADMIN],
  ['GET', '/v1/users/invitations', ADMIN],
  ['GET', '/v1/automation/signing-secret', ADMIN],
  // Credentials, people, connections, webhooks: admin only.
  ['POST', '/v1/api-keys', ADMIN],
  ['DELETE', '/v1/api-keys/:id', ADMIN],
  ['POST', '/v1/users/invitations', ADMIN],
  ['PATCH', '/v1/users/:id', ADMIN],
  ['DELETE', '/v1/users/:id', ADMIN],
  ['POST', '/v1/connections', ADMIN],
  ['POST', '/v1/connections/:id/restart', ADMIN],
  ['DELETE', '/v1/connections/:id', ADMIN],
  ['POST', '/v1/webhooks', ADMIN],
  ['POST', '/v1/webhooks/:id/rotate-secret', ADMIN],
  ['POST', '/v1/connections/:id/simulator/inbound', ADMIN],
  ['PATCH', '/v1/connections/:id/scheduled-messages/:messageId', ADMIN],
  // Support: automation, conversations, opt-outs.
  ['POST', '/v1/auto-replies', ['admin', 'support']],
  ['PATCH', '/v1/auto-replies/:id', ['admin', 'support']],
  ['POST', '/v1/auto-replies/test', ['admin', 'support']],
  ['DELETE', '/v1/faq-bots/:id/entries/:entryId', ['admin', 'support']],
  ['POST', '/v1/faq-bots/:id/ask', ['admin', 'support']],
  ['POST', '/v1/connections/:id/messages', ['admin', 'support']],
  ['POST', '/v1/connections/:id/chats/:chatId/messages', ['admin', 'support']],
  ['POST', '/v1/connections/:id/chats/:chatId/takeover', ['admin', 'support']],
  ['POST', '/v1/automation/chats/:chatId/hand-back', ['admin', 'support']],
  ['POST', '/v1/contacts/:id/opt-out', ['admin', 'support', 'marketing']],
  ['POST', '/v1/contacts/:id/opt-in', ['admin', 'support', 'marketing']],
  // Marketing: templates, contacts, campaigns, bulk, media.
  ['POST', '/v1/templates', ['admin', 'marketing']],
  ['POST', '/v1/templates/:id/preview', ['admin', 'marketing']],
  ['POST', '/v1/contacts', ['admin', 'marketing']],
  ['POST', '/v1/contacts/import', ['admin', 'marketing']],
  ['DELETE', '/v1/contacts/:id', ['admin', 'marketing']],
  ['POST', '/v1/campaigns', ['admin', 'marketing']],
  ['POST', '/v1/campaigns/:id/run-now', ['admin', 'marketing']],
  ['POST', '/v1/connections/:id/bulk', ['admin', 'marketing']],
  ['POST', '/v1/media', ['admin', 'marketing']],
  // Neither: a look-alike of a granted route.
  ['POST', '/v1/connections/:id/contacts/check', ADMIN],
  ['POST', '/v1/media/extra', ADMIN],
  ['POST', '/v1/users-export', ADMIN],
];

describe('role policy', () => {
  it.each(TABLE)('%s %s is allowed to %j only', (method, route, allowed) => {
    const decided = USER_ROLES.filter((role) => roleAllows(role, method, route));
    expect(decided).toEqual(USER_ROLES.filter((role) => allowed.includes(role)));
  });

  it('a viewer reads everything but credentials and people, and changes nothing', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const [, route] of TABLE) expect(roleAllows('viewer', method, route)).toBe(false);
    }
  });

  it('decides the same on a concrete path, a trailing slash or another case', () => {
    expect(roleAllows('support', 'post', '/v1/connections/con_1/messages')).toBe(true);
    expect(roleAllows('marketing', 'POST', '/V1/Templates/')).toBe(true);
    expect(roleAllows('viewer', 'GET', '/v1/users/usr_1')).toBe(false);
    expect(roleAllows('marketing', 'POST', '/v1/connections/con_1/messages')).toBe(false);
  });

  it('refuses with 403 forbidden_role naming the role', () => {
    const err = forbiddenRole('viewer', 'post', '/v1/templates');
    expect(err.kind).toBe('forbidden');
    expect(err.code).toBe('forbidden_role');
    expect(err.message).toContain('viewer');
    expect(err.message).toContain('POST /v1/templates');
    expect(err.details).toEqual({ role: 'viewer' });
  });

  it('knows the closed list of roles', () => {
    expect(USER_ROLES).toEqual(['admin', 'support', 'marketing', 'viewer']);
    expect(isUserRole('support')).toBe(true);
    expect(isUserRole('owner')).toBe(false);
    expect(isUserRole(undefined)).toBe(false);
  });
});
