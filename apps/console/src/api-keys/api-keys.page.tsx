import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function ApiKeysPage() {
  return (
    <Page title="API keys">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
