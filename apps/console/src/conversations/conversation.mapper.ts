/** Pure helpers of the conversation pages: chat names, message lines, hand-off wording. */

export interface MessageLike {
  waMessageId: string;
  messageId: string | null;
  fromMe: boolean;
  body: string;
  type: string;
  timestamp: string;
  status: string | null;
  source: string | null;
}

/** A reply this page sent that the chat does not show yet (the API accepted it: queued). */
export interface PendingReply {
  messageId: string;
  text: string;
  sentAt: string;
}

export interface HandoffLike {
  paused: boolean;
  until: string | null;
  reason: string | null;
  ruleId: string | null;
  botId: string | null;
  requestedBy: string | null;
}

const PHONE_CHAT = /^(\d{6,15})@c\.us$/;

/** `15557654321@c.us` (or the bare number the page URL carries) reads as `+15557654321`. */
export function chatLabel(chatId: string): string {
  const phone = PHONE_CHAT.exec(chatId)?.[1] ?? /^\d{6,15}$/.exec(chatId)?.[0];
  if (phone) return `+${phone}`;
  if (chatId.endsWith('@g.us')) return `Group ${chatId.slice(0, -'@g.us'.length)}`;
  return chatId;
}

/**
 * The chat as the page URL names it: a private chat by its number (the API takes either), as a
 * last segment ending in `.us` is taken for a file by the server and not answered with the page.
 */
export const chatPathId = (chatId: string): string => PHONE_CHAT.exec(chatId)?.[1] ?? chatId;

/** The API lists a chat newest first; a conversation reads oldest first. */
export function oldestFirst<T extends { timestamp: string }>(messages: readonly T[]): T[] {
  return [...messages].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
}

/** The replies still waiting to show up in the chat (it lists a message once WhatsApp took it). */
export function stillPending(
  pending: readonly PendingReply[],
  messages: readonly MessageLike[],
): PendingReply[] {
  const shown = new Set(messages.map((m) => m.messageId).filter((id): id is string => !!id));
  return pending.filter((p) => !shown.has(p.messageId));
}

const SOURCES: Readonly<Record<string, string>> = {
  api: 'Sent by a person (console or API)',
  scheduled: 'Scheduled message',
  auto_reply: 'Auto-reply',
  faq_bot: 'FAQ bot',
  campaign: 'Campaign',
  opt_out: 'Opt-out confirmation',
  phone: 'Typed on the phone',
};

/** Who a message is from, as a support agent reads the chat. */
export function senderLabel(m: Pick<MessageLike, 'fromMe' | 'source'>): string {
  if (!m.fromMe) return 'Customer';
  return (m.source && SOURCES[m.source]) ?? 'Us';
}

const STATUSES: Readonly<Record<string, string>> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  played: 'Played',
  failed: 'Failed',
};

export const statusLabel = (status: string | null): string =>
  status ? (STATUSES[status] ?? status) : 'Sending';

/** Badge class of a status: the word says it, the colour helps. */
export function statusTone(status: string | null): 'ok' | 'wait' | 'bad' {
  if (status === 'failed') return 'bad';
  if (status === 'delivered' || status === 'read' || status === 'played') return 'ok';
  return 'wait';
}

/** What a message without text shows (media, locations…). */
export function messageText(m: Pick<MessageLike, 'body' | 'type'>): string {
  if (m.type === 'revoked') return 'This message was deleted.';
  if (m.body) return m.body;
  return `[${m.type}]`;
}

/** Why the bot is silent in a chat, in words; `you` is the viewer's user id. */
export function handoffReason(state: HandoffLike, you: string): string {
  if (!state.paused) return 'The bot answers in this chat.';
  if (state.requestedBy) {
    return state.requestedBy === you ? 'You took this chat over.' : 'A teammate took this chat over.';
  }
  switch (state.reason) {
    case 'human_reply':
      return 'A person answered in this chat.';
    case 'rule':
      return 'An auto-reply rule handed this chat to a person.';
    case 'faq_misses':
      return 'The FAQ bot could not answer several times in a row and handed the chat to a person.';
    default:
      return 'The bot is paused in this chat.';
  }
}

/** Whether the state shows a request as applied (the worker applies it a moment later). */
export function applied(state: Pick<HandoffLike, 'paused'>, wanted: 'take_over' | 'give_back'): boolean {
  return wanted === 'take_over' ? state.paused : !state.paused;
}

export const TAKE_OVER_CHOICES: readonly { value: string; label: string }[] = [
  { value: '15', label: '15 minutes' },
  { value: '30', label: '30 minutes' },
  { value: '60', label: '1 hour' },
  { value: '240', label: '4 hours' },
  { value: '1440', label: '1 day' },
];

/** How close to the end of the log still counts as reading the newest message (rounding, margins). */
export const BOTTOM_SLACK_PX = 32;

/** Whether a scrolled box shows its end, give or take a few pixels. */
export function isAtBottom(
  box: { scrollTop: number; clientHeight: number; scrollHeight: number },
  slack = BOTTOM_SLACK_PX,
): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= slack;
}

/**
 * The newest entry of the log (oldest-first messages, then this page's pending replies), to tell
 * when one arrives: `mine` when it is a reply sent from this page, which is always scrolled to.
 */
export function newestOf(
  messages: readonly Pick<MessageLike, 'waMessageId'>[],
  pending: readonly Pick<PendingReply, 'messageId'>[],
): { key: string; mine: boolean } | null {
  const reply = pending[pending.length - 1];
  if (reply) return { key: `pending:${reply.messageId}`, mine: true };
  const last = messages[messages.length - 1];
  return last ? { key: last.waMessageId, mine: false } : null;
}

/**
 * What the log does when its newest entry changes: follow it when the reader is at the end (or
 * just opened the chat, or sent it), else leave their place alone and offer a way down.
 */
export function onNewest(atBottom: boolean, mine: boolean): 'scroll' | 'announce' {
  return atBottom || mine ? 'scroll' : 'announce';
}
