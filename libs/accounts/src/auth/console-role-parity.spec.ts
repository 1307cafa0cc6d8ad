import { roleAllows } from './role.policy';
import { can, ROLES, type ConsoleAction } from '../../../../apps/console/src/session/permissions.policy';

/** A call each console action makes: what the API's role policy must allow for the same roles. */
const CALLS: Readonly<Record<ConsoleAction, [method: string, path: string]>> = {
  'connections.manage': ['POST', '/v1/connections/:id/restart'],
  'conversations.reply': ['POST', '/v1/connections/:id/messages'],
  'auto-replies.manage': ['PATCH', '/v1/auto-replies/:id'],
  'faq-bots.manage': ['PUT', '/v1/faq-bots/:id'],
  'templates.manage': ['POST', '/v1/templates'],
  'contacts.manage': ['POST', '/v1/contacts/import'],
  'contacts.opt-out': ['POST', '/v1/contacts/:id/opt-out'],
  'campaigns.manage': ['POST', '/v1/campaigns/:id/run-now'],
  'webhooks.manage': ['POST', '/v1/webhooks/:id/rotate-secret'],
  'api-keys.manage': ['GET', '/v1/api-keys'],
  'users.manage': ['GET', '/v1/users'],
};

/**
 * The console hides what a role may not do; the API decides. Both must say the same, or people
 * see buttons that fail with 403 or miss ones they may use.
 */
describe('the console offers each action to the roles the API allows', () => {
  it.each(Object.entries(CALLS))('%s', (action, [method, path]) => {
    const offered = ROLES.filter((role) => can(role, action as ConsoleAction));
    const allowed = ROLES.filter((role) => roleAllows(role, method, path));
    expect(offered).toEqual(allowed);
  });
});
