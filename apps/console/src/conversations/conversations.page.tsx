import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function ConversationsPage() {
  return (
    <Page title="Conversations">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
