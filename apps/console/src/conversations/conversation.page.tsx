import { useEffect, useState } from 'react';
import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { can, roleLabel } from '../session/permissions.policy';
import { useUser } from '../session/session.store';
import { useApiData } from '../ui/api-data.store';
import { viewerTimeZone } from '../ui/format.mapper';
import { LoadError, Page } from '../ui/page.component';
import { chatLabel, oldestFirst, stillPending, type PendingReply } from './conversation.mapper';
import { HandoffPanel } from './handoff-panel.component';
import { MessageList } from './message-list.component';
import { ReplyForm } from './reply-form.component';
import './conversations.css';

/** New messages and their statuses show within a few seconds; the typed reply is kept meanwhile. */
const POLL_MS = 3_000;

/** One chat: its messages with their statuses, who answers it (bot or person), and a reply box. */
export function ConversationPage({ connectionId, chatId }: { connectionId: string; chatId: string }) {
  const user = useUser();
  const reply = can(user.role, 'conversations.reply');
  const messages = useApiData(
    () =>
      call(
        api.GET('/v1/connections/{id}/chats/{chatId}/messages', {
          params: { path: { id: connectionId, chatId }, query: { limit: 100 } },
        }),
      ),
    `${connectionId}/${chatId}`,
  );
  const [pending, setPending] = useState<PendingReply[]>([]);
  const { reload } = messages;
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const label = chatLabel(chatId);
  const back = `${urls.conversations}?${new URLSearchParams({ connection: connectionId }).toString()}`;
  if (!messages.data) {
    if (messages.problem) {
      const message =
        messages.problem.status === 404 ? 'There is no such chat in your account.' : messages.problem.message;
      return (
        <Page title="Conversation">
          <LoadError message={message} onRetry={reload} />
          <p>
            <Link to={urls.conversations}>Back to conversations</Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title="Conversation">
        <p className="muted">Loading…</p>
      </Page>
    );
  }

  const list = oldestFirst(messages.data.data);
  return (
    <Page title={`Chat with ${label}`}>
      <p className="breadcrumb">
        <Link to={back}>Conversations</Link> / {label}
      </p>
      <HandoffPanel connectionId={connectionId} chatId={chatId} manage={reply} userId={user.id} />
      <section className="card" aria-labelledby="messages-title">
        <h2 id="messages-title">Messages</h2>
        <p className="muted small">
          Updated every few seconds. Times in your time zone ({viewerTimeZone()}).
          {messages.problem && ' Could not refresh just now; showing the last messages read.'}
        </p>
        <MessageList messages={list} pending={stillPending(pending, list)} />
      </section>
      {reply ? (
        <ReplyForm
          connectionId={connectionId}
          chatId={chatId}
          onSent={(sent) => {
            setPending((p) => [...p, sent]);
            reload();
          }}
        />
      ) : (
        <p className="note" data-testid="read-only-note">
          Your role ({roleLabel(user.role)}) can read this chat but not answer it or take it over.
        </p>
      )}
    </Page>
  );
}
