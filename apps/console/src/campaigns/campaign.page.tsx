import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function CampaignPage({ id }: { id: string }) {
  return (
    <Page title="Campaign">
      <p className="muted">Not built yet ({id}).</p>
    </Page>
  );
}
