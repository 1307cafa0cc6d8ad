import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function TemplatesPage() {
  return (
    <Page title="Templates">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
