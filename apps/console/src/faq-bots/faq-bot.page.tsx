import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function FaqBotPage({ id }: { id: string }) {
  return (
    <Page title="FAQ bot">
      <p className="muted">Not built yet ({id}).</p>
    </Page>
  );
}
