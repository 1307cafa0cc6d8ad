export type WhatsAppDriverErrorCode =
  /** The connection is not `ready` (or, for pairing codes, not waiting for a QR scan). */
  | 'not_ready'
  /** The content is invalid (bad phone number, empty text, bad media...). */
  | 'invalid_message'
  /** WhatsApp could not resolve the chat. */
  | 'chat_not_found'
  /** The message referenced (reply, reaction) does not exist. */
  | 'message_not_found'
  /** This driver cannot do that (for example stickers on the fake page). */
  | 'not_supported'
  /** The send itself failed; whether WhatsApp received it is unknown. */
  | 'send_failed';

/** A typed error every driver throws for a refused or failed operation. */
export class WhatsAppDriverError extends Error {
  constructor(
    readonly code: WhatsAppDriverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WhatsAppDriverError';
  }
}
