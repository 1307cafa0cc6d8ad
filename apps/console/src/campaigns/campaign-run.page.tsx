import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function CampaignRunPage({ id, runId }: { id: string; runId: string }) {
  return (
    <Page title="Campaign run">
      <p className="muted">
        Not built yet ({id} {runId}).
      </p>
    </Page>
  );
}
