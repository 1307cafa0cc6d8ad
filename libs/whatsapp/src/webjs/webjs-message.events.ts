import { Client, Message } from 'whatsapp-web.js';
import type { WhatsAppDriverEventName, WhatsAppDriverEvents } from '../whatsapp.driver';
import {
  mapAck,
  normalizeCall,
  normalizeGroupNotification,
  normalizeMessage,
  normalizeReaction,
  readMessageId,
  widToString,
} from './webjs-message.mapper';

/** Where a client's message-level events go: the driver, while the client is its live one. */
export interface MessageEventSink {
  /** False once the client is not the driver's current one (a restart replaced it): drop. */
  live(): boolean;
  /** The linked account's chat id (tells our messages from others). */
  me(): string | undefined;
  now(): number;
  emit<K extends WhatsAppDriverEventName>(event: K, payload: WhatsAppDriverEvents[K]): void;
}

/**
 * Bridges whatsapp-web.js message, ack, revoke, edit, reaction, group, call and contact events
 * into the driver's events (normalized by webjs-message.mapper). The lifecycle events (qr,
 * authenticated, ready, disconnected) stay in WebJsDriver: they move its state machine.
 */
export function bridgeMessageEvents(client: Client, sink: MessageEventSink): void {
  client.on('message', (m: Message) => {
    if (!sink.live()) return;
    const msg = normalizeMessage(m.rawData, sink.me());
    if (msg && !msg.fromMe) sink.emit('message.received', msg);
  });
  client.on('message_create', (m: Message) => {
    if (!sink.live()) return;
    const msg = normalizeMessage(m.rawData, sink.me());
    if (msg?.fromMe) sink.emit('message.created', msg);
  });
  client.on('message_ack', (m: Message, ack: unknown) => {
    if (!sink.live()) return;
    const status = mapAck(ack);
    const id = readMessageId(m.id);
    if (status && id)
      sink.emit('message.ack', {
        messageId: id.serialized,
        chatId: id.remote,
        status,
        timestamp: sink.now(),
      });
  });
  client.on('message_revoke_everyone', (m: Message, original?: Message | null) => {
    if (!sink.live()) return;
    const id = readMessageId(m.id);
    if (!id) return;
    const before = original ? normalizeMessage(original.rawData, sink.me()) : undefined;
    const author = widToString(m.author);
    sink.emit('message.revoked', {
      messageId: before?.id ?? id.serialized,
      chatId: id.remote,
      fromMe: id.fromMe,
      ...(author ? { author } : {}),
      timestamp: sink.now(),
      ...(before ? { original: before } : {}),
    });
  });
  client.on('message_edit', (m: Message, newBody: unknown, prevBody: unknown) => {
    if (!sink.live()) return;
    const id = readMessageId(m.id);
    if (!id) return;
    sink.emit('message.edited', {
      messageId: id.serialized,
      chatId: id.remote,
      body: String(newBody ?? ''),
      previousBody: String(prevBody ?? ''),
      timestamp: m.latestEditSenderTimestampMs ?? sink.now(),
    });
  });
  client.on('message_reaction', (r: unknown) => {
    if (!sink.live()) return;
    const reaction = normalizeReaction(r);
    if (reaction) sink.emit('message.reaction', reaction);
  });
  const group = (event: 'group.join' | 'group.leave' | 'group.update') => (n: unknown) => {
    if (!sink.live()) return;
    const g = normalizeGroupNotification(n);
    if (g) sink.emit(event, g);
  };
  client.on('group_join', group('group.join'));
  client.on('group_leave', group('group.leave'));
  client.on('group_update', group('group.update'));
  client.on('group_admin_changed', group('group.update'));
  client.on('call', (c: unknown) => {
    if (!sink.live()) return;
    const call = normalizeCall(c);
    if (call) sink.emit('call', call);
  });
  client.on('contact_changed', (_m: Message, oldId: unknown, newId: unknown, isContact: unknown) => {
    if (!sink.live()) return;
    sink.emit('contact.changed', {
      oldId: widToString(oldId) ?? '',
      newId: widToString(newId) ?? '',
      isContact: isContact === true,
      timestamp: sink.now(),
    });
  });
}
