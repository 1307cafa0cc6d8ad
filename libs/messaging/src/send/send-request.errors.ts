import { DomainError } from '@wwb/runtime';

/**
 * Every 400 code of the send endpoint, with what it means (docs/api.md lists the same).
 * Shape errors (a number where a string belongs, an unknown field) are `validation_failed`.
 */
export const SEND_ERROR_CODES = {
  invalid_recipient:
    '`to` is missing, or is neither an E.164 phone number nor a `@c.us` / `@g.us` / `@lid` chat id',
  unsupported_message_type: '`type` is missing or not one of the message types',
  text_required: 'a text message needs a non-blank `text`',
  text_too_long: '`text` is longer than 65536 characters',
  caption_too_long: '`caption` is longer than 4096 characters',
  media_required: 'image, video, audio, document and sticker messages need `media`',
  media_source_required: '`media` needs one of `url`, `base64` or `uploadId`',
  media_source_ambiguous: '`media` has more than one of `url`, `base64` and `uploadId`',
  invalid_base64: '`media.base64` is not base64 (a `data:` URL is accepted too)',
  mimetype_required: 'base64 media needs `media.mimetype` (or a `data:<type>;base64,` prefix)',
  unsupported_mimetype: 'the media type is malformed or not in MEDIA_ALLOWED_MIMETYPES',
  mimetype_mismatch:
    'the media type does not suit the message type (an image needs image/*, audio audio/*, ...)',
  media_too_large: 'the media is larger than MEDIA_MAX_BYTES',
  invalid_media_url:
    '`media.url` is not an absolute http or https URL, or its file name has malformed percent-escapes or control characters',
  media_url_forbidden: '`media.url` resolves to a private, loopback or link-local address (SSRF guard)',
  media_fetch_failed: '`media.url` could not be fetched (status, timeout, connection)',
  upload_not_found: '`media.uploadId` names no upload of this account',
  invalid_filename: '`media.filename` is empty, too long or has control characters',
  invalid_location: 'a location needs `latitude` in -90..90 and `longitude` in -180..180',
  location_required: 'a location message needs `location`',
  contact_required: 'a contact message needs `contact`',
  invalid_contact:
    '`contact` needs either a `vcard` or a `fullName` (with an optional valid `phoneNumber`), not both',
  reaction_required: 'a reaction message needs `reaction`',
  invalid_reaction:
    '`reaction` needs the WhatsApp `messageId` reacted to and at most one emoji (empty removes it)',
  poll_required: 'a poll message needs `poll`',
  poll_name_required: 'a poll needs a non-blank `name`',
  poll_options_invalid: 'a poll needs 2 to 12 distinct, non-blank options of at most 100 characters',
  invalid_reply_to: '`replyTo` is not a WhatsApp message id (`true_<chat>_<id>` / `false_<chat>_<id>`)',
  invalid_mentions: '`mentions` must list at most 256 phone numbers or `@c.us` chat ids',
  text_not_allowed_for_type: '`text` belongs to text messages only (media take a `caption`)',
  caption_not_allowed_for_type: '`caption` belongs to image, video and document messages',
  media_not_allowed_for_type: '`media` belongs to image, video, audio, document and sticker messages',
  voice_not_allowed_for_type: '`voice` belongs to audio messages',
  location_not_allowed_for_type: '`location` belongs to location messages',
  contact_not_allowed_for_type: '`contact` belongs to contact messages',
  reaction_not_allowed_for_type: '`reaction` belongs to reaction messages',
  poll_not_allowed_for_type: '`poll` belongs to poll messages',
  reply_not_allowed_for_type: 'a reaction cannot reply to a message (`replyTo`)',
  mentions_not_allowed_for_type: '`mentions` belong to text, image, video, document and poll messages',
} as const;
export type SendErrorCode = keyof typeof SEND_ERROR_CODES;

/** A 400 of the send path (kind `invalid`): the code names the problem, the message says more. */
export const sendError = (code: SendErrorCode, message: string = SEND_ERROR_CODES[code]): DomainError =>
  new DomainError('invalid', code, message);
