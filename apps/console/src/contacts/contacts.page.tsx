import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function ContactsPage() {
  return (
    <Page title="Contacts">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
