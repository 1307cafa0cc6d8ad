import { Injectable } from '@nestjs/common';
import type { MessageOrigin } from '@wwb/contracts';
import { Clock } from '@wwb/runtime';

/** What the gateway knows about one of our sends: our id and who had it sent. */
export interface OutgoingTag {
  messageId: string;
  origin?: MessageOrigin;
  /** The text (or caption) sent, when there is one: a phone-typed message with another text is not ours. */
  text?: string;
}

interface Entry {
  tag: OutgoingTag;
  expiresAt: number;
  /** The driver's message.created took it already. */
  taken: boolean;
}

/** A tag not claimed by the driver's event within this long is forgotten. */
export const OUTGOING_TAG_TTL_MS = 60_000;

/**
 * Remembers, while a driver call is under way, which of our sends a connection is making, so
 * that the driver's own `message.created` for it is published as message.sent with our id and
 * origin. Drivers fire that event before (simulator) or after (whatsapp-web.js, sometimes) the
 * send call returns, so a tag is looked up by WhatsApp id once the call returned and, before
 * that, as the oldest pending send of that chat with the same text (a connection's sends run one
at a time; the text keeps a message typed on the phone meanwhile from taking our tag). A
 * consumer needs the origin to tell our sends from messages typed on the phone: the automation
 * pauses its bot in a chat where a human answered.
 */
@Injectable()
export class OutgoingTagStore {
  private readonly pending = new Map<string, Entry[]>();
  private readonly sent = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** Call right before the driver's send; returns a function that forgets the tag (the send failed). */
  expect(connectionId: string, chatId: string, tag: OutgoingTag): () => void {
    this.prune();
    const key = `${connectionId}/${chatId}`;
    const entry: Entry = { tag, expiresAt: this.clock.nowMs() + OUTGOING_TAG_TTL_MS, taken: false };
    const list = this.pending.get(key) ?? [];
    list.push(entry);
    this.pending.set(key, list);
    return () => this.drop(key, entry);
  }

  /** The driver's send returned `waMessageId`: a message.created still to come finds the tag by it. */
  settle(connectionId: string, chatId: string, tag: OutgoingTag, waMessageId: string): void {
    const key = `${connectionId}/${chatId}`;
    const entry = this.pending.get(key)?.find((e) => e.tag === tag);
    if (!entry) return;
    this.drop(key, entry);
    if (!entry.taken) this.sent.set(`${connectionId}/${waMessageId}`, entry);
  }

  /** The tag of a message this connection just created, if it is one of our sends. */
  take(
    connectionId: string,
    message: { id: string; chatId: string; body?: string },
  ): OutgoingTag | undefined {
    this.prune();
    const byId = `${connectionId}/${message.id}`;
    const settled = this.sent.get(byId);
    if (settled) {
      this.sent.delete(byId);
      return settled.tag;
    }
    const next = this.pending
      .get(`${connectionId}/${message.chatId}`)
      ?.find(
        (e) =>
          !e.taken && (e.tag.text === undefined || message.body === undefined || e.tag.text === message.body),
      );
    if (!next) return undefined;
    next.taken = true;
    return next.tag;
  }

  /** Tags held (for tests and metrics). */
  get size(): number {
    let n = this.sent.size;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }

  private drop(key: string, entry: Entry): void {
    const list = this.pending.get(key);
    if (!list) return;
    const rest = list.filter((e) => e !== entry);
    if (rest.length) this.pending.set(key, rest);
    else this.pending.delete(key);
  }

  private prune(): void {
    const now = this.clock.nowMs();
    for (const [key, list] of this.pending) {
      const live = list.filter((e) => e.expiresAt > now);
      if (live.length === 0) this.pending.delete(key);
      else if (live.length !== list.length) this.pending.set(key, live);
    }
    for (const [key, entry] of this.sent) if (entry.expiresAt <= now) this.sent.delete(key);
  }
}
