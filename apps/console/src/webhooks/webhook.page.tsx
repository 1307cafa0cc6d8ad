import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function WebhookPage({ id }: { id: string }) {
  return (
    <Page title="Webhook">
      <p className="muted">Not built yet ({id}).</p>
    </Page>
  );
}
