import { useEffect, useState } from 'react';
import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { navigate } from '../routing/router.store';
import { urls } from '../routing/routes.policy';
import { useApiData } from '../ui/api-data.store';
import { SelectField } from '../ui/field.component';
import { EmptyState, LoadError, Page } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { chatLabel, chatPathId, messageText } from './conversation.mapper';
import './conversations.css';

/** New chats and last messages show without a reload; a list is cheap to read again. */
const POLL_MS = 5_000;

/** Pick a connection, see its chats (most recent activity first), open one. */
export function ConversationsPage() {
  const connections = useApiData(
    () => call(api.GET('/v1/connections', { params: { query: { limit: 100 } } })),
    'connections',
  );
  const [chosen, setChosen] = useState(() => new URLSearchParams(location.search).get('connection') ?? '');
  const list = connections.data?.data ?? [];
  const selected = list.some((c) => c.id === chosen) ? chosen : (list[0]?.id ?? '');
  const choose = (id: string) => {
    setChosen(id);
    // In the address too, so that Back from a chat comes back to this connection.
    navigate(`${urls.conversations}?${new URLSearchParams({ connection: id }).toString()}`, {
      replace: true,
    });
  };

  return (
    <Page title="Conversations">
      <p className="lead">
        Chats of your WhatsApp connections: read them, answer, and take them over from the bot.
      </p>
      {connections.problem && !connections.data && (
        <LoadError message={connections.problem.message} onRetry={connections.reload} />
      )}
      {connections.loading && !connections.data && <p className="muted">Loading connections…</p>}
      {connections.data && list.length === 0 && (
        <EmptyState title="No connections yet.">Chats show here once a WhatsApp phone is linked.</EmptyState>
      )}
      {list.length > 0 && (
        <>
          <div className="conversation-picker">
            <SelectField
              id="conversation-connection"
              label="Connection"
              value={selected}
              onChange={choose}
              options={list.map((c) => ({
                value: c.id,
                label: c.phoneNumber ? `${c.name} (+${c.phoneNumber})` : c.name,
              }))}
            />
          </div>
          {selected && <ChatList key={selected} connectionId={selected} />}
        </>
      )}
    </Page>
  );
}

function ChatList({ connectionId }: { connectionId: string }) {
  const chats = useApiData(
    () =>
      call(
        api.GET('/v1/connections/{id}/chats', {
          params: { path: { id: connectionId }, query: { limit: 50 } },
        }),
      ),
    connectionId,
  );
  const { reload } = chats;
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const rows = chats.data?.data ?? [];
  if (chats.problem && !chats.data) return <LoadError message={chats.problem.message} onRetry={reload} />;
  if (!chats.data) return <p className="muted">Loading chats…</p>;
  if (rows.length === 0) {
    return (
      <EmptyState title="No chats yet.">
        A chat shows here as soon as a message comes in or goes out on this connection.
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="chats-table">
        <caption className="visually-hidden">Chats of the connection, most recent first</caption>
        <thead>
          <tr>
            <th scope="col">Chat</th>
            <th scope="col">Last message</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.chatId} data-chat-id={c.chatId}>
              <th scope="row">
                <Link to={urls.conversation(connectionId, chatPathId(c.chatId))}>{chatLabel(c.chatId)}</Link>
              </th>
              <td className="chat-preview">
                {c.lastMessage ? (
                  <>
                    {c.lastMessage.fromMe && <span className="muted">You: </span>}
                    {messageText(c.lastMessage)}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <Time iso={c.lastMessageAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
