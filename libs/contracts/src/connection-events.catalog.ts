import type { EventDefinition } from './event-catalog';
import { defineEvent, ISO, obj, STR } from './catalog-schema.util';

/**
 * Lifecycle events of WhatsApp connections, published by the API (created, deleted) and by the
 * gateway that runs the connection (everything else, bridged from its driver).
 */

/** Statuses of a connection (the gateway's driver state machine): the one list of them. */
export const CONNECTION_STATUSES = [
  'starting',
  'qr',
  'authenticated',
  'ready',
  'disconnected',
  'failed',
  'logged_out',
  'stopped',
] as const;

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** What runs a connection: whatsapp-web.js in Chromium, or the in-process simulator. */
export const CONNECTION_DRIVERS = ['webjs', 'simulator'] as const;
export type ConnectionDriver = (typeof CONNECTION_DRIVERS)[number];

export interface ConnectionCreatedData {
  name: string;
  driver: ConnectionDriver;
  createdAt: string;
}

export interface ConnectionDeletedData {
  name: string;
  deletedAt: string;
}

export interface ConnectionStatusData {
  status: ConnectionStatus;
  previousStatus: ConnectionStatus | null;
  reason?: string;
  /** Failed attempts since the last ready. */
  failures: number;
  /** When the next automatic attempt starts. */
  retryAt?: string;
  /** Digits only, once linked. */
  phoneNumber?: string;
  pushName?: string;
}

export interface ConnectionQrData {
  qr: string;
}

export interface ConnectionPairingCodeData {
  code: string;
}

export type ConnectionAuthenticatedData = Record<string, never>;

export interface ConnectionReadyData {
  phoneNumber: string;
  pushName: string;
  chatId: string;
}

export interface ConnectionDisconnectedData {
  reason: string;
}

export interface ConnectionEventDataMap {
  'connection.created': ConnectionCreatedData;
  'connection.deleted': ConnectionDeletedData;
  'connection.status': ConnectionStatusData;
  'connection.qr': ConnectionQrData;
  'connection.pairing_code': ConnectionPairingCodeData;
  'connection.authenticated': ConnectionAuthenticatedData;
  'connection.ready': ConnectionReadyData;
  'connection.disconnected': ConnectionDisconnectedData;
}

export const CONNECTION_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'connection.created',
    version: 1,
    description: 'A WhatsApp connection was created through the API (it starts and shows a QR code).',
    orderingKey: 'connection',
    dataSchema: obj({ name: STR, driver: { type: 'string', enum: CONNECTION_DRIVERS }, createdAt: ISO }, [
      'name',
      'driver',
      'createdAt',
    ]),
    example: { name: 'Support line', driver: 'webjs', createdAt: '2026-12-01T10:00:00.000Z' },
  }),
  defineEvent({
    type: 'connection.deleted',
    version: 1,
    description:
      'A connection was deleted through the API; its gateway stops it, logs it out and deletes its session.',
    orderingKey: 'connection',
    dataSchema: obj({ name: STR, deletedAt: ISO }, ['name', 'deletedAt']),
    example: { name: 'Support line', deletedAt: '2026-12-01T12:00:00.000Z' },
  }),
  defineEvent({
    type: 'connection.status',
    version: 1,
    description:
      'The status of a connection changed (starting, qr, authenticated, ready, disconnected, failed, logged_out, ' +
      'stopped); every change, with the reason when there is one. `failed` repeats with a new reason and retry time ' +
      'while WhatsApp stays unreachable.',
    orderingKey: 'connection',
    dataSchema: obj(
      {
        status: { type: 'string', enum: CONNECTION_STATUSES },
        previousStatus: { type: ['string', 'null'], enum: [...CONNECTION_STATUSES, null] },
        reason: STR,
        failures: { type: 'integer', minimum: 0, description: 'Failed attempts since the last ready' },
        retryAt: { ...ISO, description: 'When the next automatic attempt starts' },
        phoneNumber: { ...STR, description: 'Digits only, once linked' },
        pushName: STR,
      },
      ['status', 'previousStatus', 'failures'],
    ),
    example: {
      status: 'ready',
      previousStatus: 'authenticated',
      failures: 0,
      phoneNumber: '15551234567',
      pushName: 'Acme Support',
    },
  }),
  defineEvent({
    type: 'connection.qr',
    version: 1,
    description:
      'A new QR code to scan with WhatsApp on the phone (Linked devices); refreshed about every 20 s until scanned. ' +
      'GET /v1/connections/{id}/qr renders it as a PNG.',
    orderingKey: 'connection',
    dataSchema: obj({ qr: { type: 'string', minLength: 1 } }, ['qr']),
    example: { qr: '2@Xq1Zb…,Hk9…,con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' },
  }),
  defineEvent({
    type: 'connection.pairing_code',
    version: 1,
    description: 'A pairing code was issued (link with a phone number instead of a QR scan).',
    orderingKey: 'connection',
    dataSchema: obj({ code: { type: 'string', minLength: 1 } }, ['code']),
    example: { code: 'ABCD1234' },
  }),
  defineEvent({
    type: 'connection.authenticated',
    version: 1,
    description: 'The phone confirmed the link (or a stored session was accepted); `ready` follows.',
    orderingKey: 'connection',
    dataSchema: obj({}, []),
    example: {},
  }),
  defineEvent({
    type: 'connection.ready',
    version: 1,
    description: 'The connection is ready to send and receive, as this WhatsApp account.',
    orderingKey: 'connection',
    dataSchema: obj({ phoneNumber: STR, pushName: STR, chatId: STR }, ['phoneNumber', 'pushName', 'chatId']),
    example: { phoneNumber: '15551234567', pushName: 'Acme Support', chatId: '15551234567@c.us' },
  }),
  defineEvent({
    type: 'connection.disconnected',
    version: 1,
    description:
      'The WhatsApp session dropped; `connection.status` follows with disconnected (restarting), failed or logged_out.',
    orderingKey: 'connection',
    dataSchema: obj({ reason: STR }, ['reason']),
    example: { reason: 'CONFLICT' },
  }),
];
