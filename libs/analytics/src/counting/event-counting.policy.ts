import { EventEnvelope, isEventOf } from '@wwb/contracts';
import { floorDay } from '@wwb/infrastructure';
import { Counted, CounterScope } from '../counters/analytics-counters.schema';
import { AttributionRecord, AttributionWrite, MarkRecord, TouchRecord } from './attribution.schema';

/** An event of a partition and its offset. */
export interface CountedEvent {
  event: EventEnvelope;
  offset: number;
}

/** One count: a metric (`sent`, or `skipped.<reason>`) of a scope, at a time, from an event. */
export interface Increment {
  scope: CounterScope;
  scopeId: string;
  accountId: string;
  atMs: number;
  offset: number;
  metric: Counted | `skipped.${string}`;
  n: number;
}

export interface CountingResult {
  increments: Increment[];
  /** New touches and marks, to store once the counts are written. */
  writes: AttributionWrite[];
}

/** A skip reason as a counter field (reasons are our snake_case codes; anything else is `other`). */
export const reasonField = (reason: string): string =>
  /^[a-z][a-z0-9_]{0,39}$/.test(reason) ? reason : 'other';

/** The state keys an event reads (its chat's, or its run's); empty when it needs none. */
export function stateKeyOf(event: EventEnvelope): string | undefined {
  if (event.type === 'campaign.run.started') {
    return `run|${(event.data as { runId?: string }).runId ?? ''}`;
  }
  if (!event.connectionId || !event.chatId) return undefined;
  return `${event.connectionId}|${event.chatId}`;
}

interface Where {
  accountId: string;
  connectionId?: string;
  campaignId?: string;
  runId?: string;
}

/**
 * Turns a partition's events, in offset order, into counts (pure: no I/O, no clock). `loaded`
 * is what was remembered of the chats and runs these events concern; what they add to it is
 * returned as writes. Each status of a sent message counts once (a read also counts as
 * delivered when the delivery ack never came), a reply or an opt-out counts for the last
 * campaign message of its chat within `replyWindowMs`, once per message.
 */
export function countEvents(
  events: readonly CountedEvent[],
  loaded: readonly AttributionRecord[],
  replyWindowMs: number,
): CountingResult {
  const touches = new Map<string, TouchRecord>();
  const byChat = new Map<string, TouchRecord[]>();
  const marks = new Set<string>();
  const markDay = new Map<string, number>();
  const increments: Increment[] = [];
  const writes: AttributionWrite[] = [];

  const addTouch = (t: TouchRecord) => {
    touches.set(t._id, t);
    byChat.set(t.c, [...(byChat.get(t.c) ?? []), t]);
    markDay.set(t._id, floorDay(t.atMs));
  };
  for (const r of loaded) if (r.k === 't') addTouch(r);
  for (const r of loaded) if (r.k === 'm') marks.add(r._id);

  const count = (
    e: CountedEvent,
    where: Where,
    metric: Increment['metric'],
    n = 1,
    scopes?: CounterScope[],
  ) => {
    const atMs = Date.parse(e.event.occurredAt);
    const ids: [CounterScope, string | undefined][] = [
      ['account', where.accountId],
      ['connection', where.connectionId],
      ['campaign', where.campaignId],
      ['run', where.runId],
    ];
    for (const [scope, scopeId] of ids) {
      if (!scopeId || (scopes && !scopes.includes(scope))) continue;
      increments.push({ scope, scopeId, accountId: where.accountId, atMs, offset: e.offset, metric, n });
    }
  };
  /** Marks `id` (stored with state key `c` in the table of `dayMs`); false when it was marked already. */
  const mark = (id: string, c: string, dayMs: number): boolean => {
    if (marks.has(id)) return false;
    marks.add(id);
    const record: MarkRecord = { _id: id, k: 'm', c };
    writes.push({ dayMs, record });
    return true;
  };
  const whereOf = (t: TouchRecord): Where => ({
    accountId: t.accountId,
    connectionId: t.connectionId,
    campaignId: t.campaignId,
    runId: t.runId,
  });
  /** The last campaign message of the chat sent at most `replyWindowMs` before `atMs`. */
  const lastCampaignTouch = (c: string, atMs: number): TouchRecord | undefined => {
    let best: TouchRecord | undefined;
    for (const t of byChat.get(c) ?? []) {
      if (!t.campaignId || t.atMs > atMs || atMs - t.atMs > replyWindowMs) continue;
      if (!best || t.atMs > best.atMs) best = t;
    }
    return best;
  };

  for (const e of events) {
    const ev = e.event;
    const c = stateKeyOf(ev);
    const atMs = Date.parse(ev.occurredAt);
    const base: Where = { accountId: ev.accountId, connectionId: ev.connectionId };
    if (isEventOf(ev, 'message.sent')) {
      if (!c || !ev.connectionId) continue;
      const id = `${ev.connectionId}|${ev.data.waMessageId}`;
      if (touches.has(id)) continue; // the same message published twice
      const origin = ev.data.origin?.source === 'campaign' ? ev.data.origin : undefined;
      const touch: TouchRecord = {
        _id: id,
        k: 't',
        c,
        accountId: ev.accountId,
        connectionId: ev.connectionId,
        atMs,
        ...(origin?.campaignId ? { campaignId: origin.campaignId } : {}),
        ...(origin?.runId ? { runId: origin.runId } : {}),
      };
      addTouch(touch);
      writes.push({ dayMs: floorDay(atMs), record: touch });
      count(e, whereOf(touch), 'sent');
    } else if (isEventOf(ev, 'message.received')) {
      if (ev.data.fromMe) continue;
      count(e, base, 'received');
      const touch = c ? lastCampaignTouch(c, atMs) : undefined;
      if (touch && mark(`${touch._id}#replied`, touch.c, markDay.get(touch._id)!))
        count(e, whereOf(touch), 'replied');
    } else if (isEventOf(ev, 'message.status')) {
      if (!c || !ev.connectionId) continue;
      const d = ev.data;
      if (d.waMessageId) {
        const touch = touches.get(`${ev.connectionId}|${d.waMessageId}`);
        if (!touch) continue; // sent before what analytics remembers
        const day = markDay.get(touch._id)!;
        const once = (what: 'delivered' | 'read' | 'failed') => {
          if (mark(`${touch._id}#${what}`, touch.c, day)) count(e, whereOf(touch), what);
        };
        if (d.status === 'delivered') once('delivered');
        if (d.status === 'read' || d.status === 'played') {
          once('delivered');
          once('read');
        }
        if (d.status === 'failed') once('failed');
      } else if (d.messageId && d.status === 'failed') {
        // Refused before reaching WhatsApp (no WhatsApp id): counted for the account and connection.
        if (mark(`${ev.connectionId}|${d.messageId}#failed`, c, floorDay(atMs))) count(e, base, 'failed');
      }
    } else if (isEventOf(ev, 'contact.opted_out')) {
      count(e, base, 'opted_out', 1, ['account', 'connection']);
      const touch = c ? lastCampaignTouch(c, atMs) : undefined;
      if (touch && mark(`${touch._id}#opted_out`, touch.c, markDay.get(touch._id)!)) {
        count(e, whereOf(touch), 'opted_out', 1, ['campaign', 'run']);
      }
    } else if (isEventOf(ev, 'campaign.run.started')) {
      const d = ev.data;
      if (!c || !mark(`run|${d.runId}#started`, c, floorDay(atMs))) continue;
      const where: Where = { accountId: ev.accountId, campaignId: d.campaignId, runId: d.runId };
      count(e, where, 'targeted', d.targeted);
      for (const [reason, n] of Object.entries(d.skipped))
        if (n > 0) count(e, where, `skipped.${reasonField(reason)}`, n);
    } else if (isEventOf(ev, 'campaign.recipient.skipped')) {
      const d = ev.data;
      if (!c || !mark(`${d.runId}|${d.contactId}#skipped`, c, floorDay(atMs))) continue;
      count(
        e,
        { accountId: ev.accountId, campaignId: d.campaignId, runId: d.runId },
        `skipped.${reasonField(d.reason)}`,
      );
    } else if (isEventOf(ev, 'campaign.recipient.failed')) {
      const d = ev.data;
      if (!c || !mark(`${d.runId}|${d.contactId}#failed`, c, floorDay(atMs))) continue;
      // The account's `failed` comes from the message's own message.status.
      const where: Where = { accountId: ev.accountId, campaignId: d.campaignId, runId: d.runId };
      count(e, where, 'failed', 1, ['campaign', 'run']);
    }
  }
  return { increments, writes };
}
