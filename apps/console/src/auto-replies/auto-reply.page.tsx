import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function AutoReplyPage({ id }: { id: string }) {
  return (
    <Page title="Auto-reply rule">
      <p className="muted">Not built yet ({id}).</p>
    </Page>
  );
}
