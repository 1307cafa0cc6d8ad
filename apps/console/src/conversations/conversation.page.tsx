import { Page } from '../ui/page.component';

/** Placeholder until the page is built. */
export function ConversationPage({ connectionId, chatId }: { connectionId: string; chatId: string }) {
  return (
    <Page title="Conversation">
      <p className="muted">
        Not built yet ({connectionId} {chatId}).
      </p>
    </Page>
  );
}
