import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function FaqBotsPage() {
  return (
    <Page title="FAQ bots">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
