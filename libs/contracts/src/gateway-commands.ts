import type { MessageOrigin } from './message-events.catalog';
/**
 * Commands for the gateway node that owns a connection. They travel on the commands topic in
 * the ordinary EventEnvelope (with `connectionId` set), keyed and partitioned by connection
 * (see `commandPartition` in @wwb/kafka), and are consumed by the gateway consumer group.
 * Type names start with `gateway.`; they are never delivered to integrators.
 */
export const GATEWAY_COMMANDS = {
  /** Start (or adopt) the session; data: {}. Also sent when a connection is created. */
  connectionStart: 'gateway.connection.start',
  /** Stop the session, keep its stored login; data: {}. */
  connectionStop: 'gateway.connection.stop',
  /** Stop then start again; data: {}. */
  connectionRestart: 'gateway.connection.restart',
  /** Log out at WhatsApp (terminal), keep the connection record; data: {}. */
  connectionLogout: 'gateway.connection.logout',
  /** Stop, log out and delete the stored session; data: {}. */
  connectionDelete: 'gateway.connection.delete',
  /** Send one stored message; data: SendMessageCommandData. */
  messageSend: 'gateway.message.send',
  /** Ask for a pairing code; data: {requestId, phoneNumber}; reply through GatewayReply. */
  pairingCodeRequest: 'gateway.pairing_code.request',
  /** Is a number on WhatsApp; data: {requestId, phone}; reply through GatewayReply. */
  contactCheck: 'gateway.contact.check',
  /**
   * Send this connection's share of a campaign run, paced (see @wwb/campaigns); data:
   * CampaignDispatchCommandData. The gateway acknowledges at once and sends over time.
   */
  campaignDispatch: 'gateway.campaign.dispatch',
  /** Simulator controls (simulator connections only); data as the HTTP bodies. */
  simulatorScan: 'gateway.simulator.scan',
  simulatorInbound: 'gateway.simulator.inbound',
  simulatorPhoneMessage: 'gateway.simulator.phone_message',
  simulatorAck: 'gateway.simulator.ack',
  simulatorDisconnect: 'gateway.simulator.disconnect',
} as const;

export type GatewayCommandType = (typeof GATEWAY_COMMANDS)[keyof typeof GATEWAY_COMMANDS];

/** Media of an outgoing message as it travels in a command: a reference, never the bytes. */
export interface MediaRef {
  /** An upload stored in GridFS by the API (`POST /v1/media`, or base64 / URL media stored at accept time). */
  uploadId: string;
  mimetype: string;
  filename?: string;
}

/** Data of `gateway.message.send`. */
export interface SendMessageCommandData {
  /** Our message id (`msg_<ULID>`), the id the API returned. */
  messageId: string;
  chatId: string;
  /**
   * The outgoing message in the driver's `OutgoingMessage` shape (@wwb/whatsapp), except that
   * `media` is a MediaRef the gateway resolves to bytes before sending.
   */
  message: Record<string, unknown> & { type: string };
  /** Who had it sent; the gateway puts it on the message.sent event of this send. */
  origin?: MessageOrigin;
}

/** Result of a request/reply command, written by the gateway into Mongo `gateway_replies` (`_id` = requestId). */
export interface GatewayReply<T = unknown> {
  requestId: string;
  accountId: string;
  connectionId: string;
  ok: boolean;
  result?: T;
  error?: { code: string; message: string };
  createdAt: Date;
}

/** Mongo collection of GatewayReply documents. */
export const GATEWAY_REPLIES_COLLECTION = 'gateway_replies';

/** Data of a request/reply command: the API waits for the GatewayReply whose `_id` is `requestId`. */
export interface GatewayRequestData {
  requestId: string;
}

/** `gateway.pairing_code.request`; the reply's result is `{code}`. */
export interface PairingCodeRequestData extends GatewayRequestData {
  /** Digits only, with the country code. */
  phoneNumber: string;
}

/** `gateway.contact.check`; the reply's result is `{registered, chatId}`. */
export interface ContactCheckData extends GatewayRequestData {
  /** Phone number (E.164 or digits). */
  phone: string;
}

/** `gateway.simulator.scan`; the reply's result is the linked account `{phoneNumber, pushName, chatId}`. */
export interface SimulatorScanData extends GatewayRequestData {
  phoneNumber?: string;
  pushName?: string;
}

/**
 * `gateway.simulator.inbound`: a message arrives at the simulated phone; `message` is the
 * SimulatorInboundMessage of @wwb/whatsapp. The reply's result is `{waMessageId, chatId}`.
 */
export interface SimulatorInboundData extends GatewayRequestData {
  message: Record<string, unknown> & { from: string };
}

/**
 * `gateway.simulator.phone_message`: someone types a text on the linked phone (message.sent
 * without our id or origin follows). The reply's result is `{waMessageId, chatId}`.
 */
export interface SimulatorPhoneMessageData extends GatewayRequestData {
  /** Recipient: phone number (digits or E.164) or chat id. */
  to: string;
  text: string;
}

/** `gateway.simulator.ack`: the recipient acknowledges one of our messages (WhatsApp id). */
export interface SimulatorAckData extends GatewayRequestData {
  waMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'played' | 'failed';
}

/** `gateway.simulator.disconnect`: LOGOUT / UNPAIRED unlink the device, anything else restarts it. */
export interface SimulatorDisconnectData extends GatewayRequestData {
  reason: string;
}

/** Data of `gateway.campaign.dispatch`. */
export interface CampaignDispatchCommandData {
  campaignId: string;
  runId: string;
}
