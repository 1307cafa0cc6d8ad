import { Page } from '../ui/page.component';
import { roleLabel } from '../session/permissions.policy';

/**
 * In place of a page only admins may read, opened by URL by another role: says so, rather than
 * showing the API's 403 as an error.
 */
export function AdminOnly({ title, what, role }: { title: string; what: string; role: string }) {
  return (
    <Page title={title}>
      <p className="note" data-testid="admin-only-note">
        Only admins of the account can see {what}. Your role is {roleLabel(role)}; ask an admin if you need
        access.
      </p>
    </Page>
  );
}
