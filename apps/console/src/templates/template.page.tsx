import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function TemplatePage({ id }: { id: string }) {
  return (
    <Page title="Template">
      <p className="muted">Not built yet ({id}).</p>
    </Page>
  );
}
