import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { Time } from '../ui/time.component';
import {
  isAtBottom,
  messageText,
  newestOf,
  onNewest,
  senderLabel,
  statusLabel,
  statusTone,
  type MessageLike,
  type PendingReply,
} from './conversation.mapper';

/**
 * Keeps the log at its newest message: on open, and when one arrives while the reader is at the
 * end. Someone who scrolled up to read keeps their place and is offered a way down instead.
 */
function useFollowNewest(
  scroller: RefObject<HTMLDivElement | null>,
  newest: { key: string; mine: boolean } | null,
) {
  // True until the reader scrolls away: opening a chat shows its newest message.
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(false);
  const toBottom = () => {
    const box = scroller.current;
    if (box) box.scrollTop = box.scrollHeight;
    atBottom.current = true;
    setUnseen(false);
  };
  // Before paint, so the log never flashes at the top of a long chat.
  useLayoutEffect(() => {
    if (!newest || !scroller.current) return;
    if (onNewest(atBottom.current, newest.mine) === 'scroll') toBottom();
    else setUnseen(true);
    // Only a new newest entry moves the log, not a refresh that changed a status.
  }, [newest?.key]);
  const onScroll = () => {
    if (!scroller.current) return;
    atBottom.current = isAtBottom(scroller.current);
    if (atBottom.current) setUnseen(false);
  };
  return { unseen, onScroll, toBottom };
}

/**
 * The chat, oldest first, as a log (screen readers announce what is added). Our messages carry
 * their delivery status; replies sent from this page show as queued until the chat lists them.
 */
export function MessageList({ messages, pending }: { messages: MessageLike[]; pending: PendingReply[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const follow = useFollowNewest(scroller, newestOf(messages, pending));
  if (messages.length === 0 && pending.length === 0) {
    return <p className="muted">No messages in this chat yet.</p>;
  }
  return (
    <>
      {/* Focusable: the log scrolls, and keyboard users need to reach what is above. */}
      <div
        ref={scroller}
        className="messages-scroll"
        role="log"
        aria-live="polite"
        aria-label="Messages of the chat"
        tabIndex={0}
        onScroll={follow.onScroll}
        data-testid="messages-scroll"
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
      {follow.unseen && (
        <button
          type="button"
          className="button messages-newer"
          data-testid="newer-messages"
          onClick={() => {
            follow.toBottom();
            // The button goes away: keep keyboard focus in the log rather than losing it.
            scroller.current?.focus();
          }}
        >
          New messages below ↓
        </button>
      )}
    </>
  );
}
