import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function AutoRepliesPage() {
  return (
    <Page title="Auto-replies">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
