import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function WebhooksPage() {
  return (
    <Page title="Webhooks">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
