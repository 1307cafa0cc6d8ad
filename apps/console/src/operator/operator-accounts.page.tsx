import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function OperatorAccountsPage() {
  return (
    <Page title="Accounts">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
