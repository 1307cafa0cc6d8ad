import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function CampaignsPage() {
  return (
    <Page title="Campaigns">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
