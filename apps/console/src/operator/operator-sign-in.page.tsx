import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function OperatorSignInPage() {
  return (
    <Page title="Operator sign-in">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
