import { Time } from '../ui/time.component';
import {
  messageText,
  senderLabel,
  statusLabel,
  statusTone,
  type MessageLike,
  type PendingReply,
} from './conversation.mapper';

/**
 * The chat, oldest first, as a log (screen readers announce what is added). Our messages carry
 * their delivery status; replies sent from this page show as queued until the chat lists them.
 */
export function MessageList({ messages, pending }: { messages: MessageLike[]; pending: PendingReply[] }) {
  if (messages.length === 0 && pending.length === 0) {
    return <p className="muted">No messages in this chat yet.</p>;
  }
  return (
    // Focusable: the log scrolls, and keyboard users need to reach what is above.
    <div
      className="messages-scroll"
      role="log"
      aria-live="polite"
      aria-label="Messages of the chat"
      tabIndex={0}
    >
      <ol className="messages">
        {messages.map((m) => (
          <li
            key={m.waMessageId}
            className={m.fromMe ? 'message message-out' : 'message message-in'}
            data-testid="message"
            data-status={m.status ?? ''}
          >
            <p className="message-meta">
              <span className="message-from">{senderLabel(m)}</span> <Time iso={m.timestamp} />
            </p>
            <p className="message-body">{messageText(m)}</p>
            {m.fromMe && (
              <span className={`badge badge-${statusTone(m.status)}`} data-testid="message-status">
                {statusLabel(m.status)}
              </span>
            )}
          </li>
        ))}
        {pending.map((p) => (
          <li key={p.messageId} className="message message-out" data-testid="message" data-status="queued">
            <p className="message-meta">
              <span className="message-from">You</span> <Time iso={p.sentAt} />
            </p>
            <p className="message-body">{p.text}</p>
            <span className="badge badge-wait" data-testid="message-status">
              Queued
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
