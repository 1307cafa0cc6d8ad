import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function UsersPage() {
  return (
    <Page title="Users">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
