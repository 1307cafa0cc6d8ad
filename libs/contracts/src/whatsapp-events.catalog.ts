import type { EventDefinition } from './event-catalog';
import { BOOL, defineEvent, ISO, obj, STR, STRINGS } from './catalog-schema.util';

/**
 * The other events the WhatsApp driver reports (groups, calls, contacts), bridged by the gateway.
 * Connection and message events have catalogues of their own (connection-events.catalog.ts,
 * message-events.catalog.ts). Timestamps in `data` are ISO-8601 UTC strings.
 */

/** `data` of group.join, group.leave and group.update. */
export interface GroupEventData {
  chatId: string;
  /** add, invite, remove, leave, subject, description, picture, announce, … */
  action: string;
  author?: string;
  participants: string[];
  body: string;
  timestamp: string;
}

export type GroupJoinData = GroupEventData;
export type GroupLeaveData = GroupEventData;
export type GroupUpdateData = GroupEventData;

export interface CallReceivedData {
  callId: string;
  from: string;
  isVideo: boolean;
  isGroup: boolean;
  fromMe: boolean;
  timestamp: string;
}

export interface ContactChangedData {
  oldId: string;
  newId: string;
  /** True for a contact, false for a group participant. */
  isContact: boolean;
  timestamp: string;
}

export interface WhatsAppEventDataMap {
  'group.join': GroupJoinData;
  'group.leave': GroupLeaveData;
  'group.update': GroupUpdateData;
  'call.received': CallReceivedData;
  'contact.changed': ContactChangedData;
}

const GROUP_EVENT = obj(
  {
    chatId: STR,
    action: { ...STR, description: 'add, invite, remove, leave, subject, description, picture, announce, …' },
    author: STR,
    participants: STRINGS,
    body: STR,
    timestamp: ISO,
  },
  ['chatId', 'action', 'participants', 'body', 'timestamp'],
);

const GROUP_EXAMPLE: GroupEventData = {
  chatId: '120363041234567890@g.us',
  action: 'add',
  author: '15557654321@c.us',
  participants: ['15551234567@c.us'],
  body: '',
  timestamp: '2026-12-01T10:00:00.000Z',
};

export const WHATSAPP_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'group.join',
    version: 1,
    description: 'Someone joined a group this account is in (added, invited, or this account itself).',
    orderingKey: 'chat',
    dataSchema: GROUP_EVENT,
    example: GROUP_EXAMPLE,
  }),
  defineEvent({
    type: 'group.leave',
    version: 1,
    description: 'Someone left or was removed from a group this account is in.',
    orderingKey: 'chat',
    dataSchema: GROUP_EVENT,
    example: { ...GROUP_EXAMPLE, action: 'remove' },
  }),
  defineEvent({
    type: 'group.update',
    version: 1,
    description: 'A group changed: subject, description, picture, settings (announce, restrict), …',
    orderingKey: 'chat',
    dataSchema: GROUP_EVENT,
    example: { ...GROUP_EXAMPLE, action: 'subject', participants: [], body: 'Acme customers' },
  }),
  defineEvent({
    type: 'call.received',
    version: 1,
    description: 'An incoming voice or video call (WhatsApp Web cannot answer it).',
    orderingKey: 'chat',
    dataSchema: obj({ callId: STR, from: STR, isVideo: BOOL, isGroup: BOOL, fromMe: BOOL, timestamp: ISO }, [
      'callId',
      'from',
      'isVideo',
      'isGroup',
      'fromMe',
      'timestamp',
    ]),
    example: {
      callId: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
      from: '15557654321@c.us',
      isVideo: false,
      isGroup: false,
      fromMe: false,
      timestamp: '2026-12-01T10:03:00.000Z',
    },
  }),
  defineEvent({
    type: 'contact.changed',
    version: 1,
    description: 'A contact (or a group participant) changed their phone number.',
    orderingKey: 'connection',
    dataSchema: obj({ oldId: STR, newId: STR, isContact: BOOL, timestamp: ISO }, [
      'oldId',
      'newId',
      'isContact',
      'timestamp',
    ]),
    example: {
      oldId: '15557654321@c.us',
      newId: '15559876543@c.us',
      isContact: true,
      timestamp: '2026-12-01T10:04:00.000Z',
    },
  }),
];
