import { WhatsAppDriverError } from '../whatsapp-driver.error';
import type { MediaInput, OutgoingMessage } from '../whatsapp-message.dto';
import { toChatId } from './phone-number.util';
import { isVCard } from './vcard.util';

export const MAX_TEXT_LENGTH = 65_536;
export const MAX_POLL_OPTIONS = 12;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** `type/subtype` with optional parameters (`audio/ogg; codecs=opus`). */
const MIMETYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+"-]+)*$/;

const invalid = (message: string): never => {
  throw new WhatsAppDriverError('invalid_message', message);
};

function checkMedia(media: MediaInput | undefined, type: string): void {
  if (!media || typeof media !== 'object') return invalid(`${type} needs media {mimetype, data}`);
  if (!MIMETYPE.test(media.mimetype ?? '')) return invalid(`${type}: invalid mimetype "${media.mimetype}"`);
  if (
    typeof media.data !== 'string' ||
    media.data.length === 0 ||
    media.data.length % 4 === 1 ||
    !BASE64.test(media.data)
  ) {
    return invalid(`${type}: media data must be non-empty base64`);
  }
  if (type === 'image' && !media.mimetype.startsWith('image/')) invalid(`image needs an image/* mimetype`);
  if (type === 'video' && !media.mimetype.startsWith('video/')) invalid(`video needs a video/* mimetype`);
  if (type === 'audio' && !media.mimetype.startsWith('audio/')) invalid(`audio needs an audio/* mimetype`);
  if (type === 'sticker' && !media.mimetype.startsWith('image/'))
    invalid(`sticker needs an image/* mimetype`);
}

/**
 * Checks an outgoing message before any driver touches WhatsApp; throws `invalid_message`
 * naming the problem. Both drivers call it, so they refuse exactly the same things.
 */
export function validateOutgoingMessage(content: OutgoingMessage): OutgoingMessage {
  if (!content || typeof content !== 'object') return invalid('message content is required');
  if (
    'replyTo' in content &&
    content.replyTo !== undefined &&
    (typeof content.replyTo !== 'string' || !content.replyTo)
  ) {
    invalid('replyTo must be a message id');
  }
  if ('mentions' in content && content.mentions !== undefined) {
    if (!Array.isArray(content.mentions)) invalid('mentions must be a list of chat ids');
    for (const m of content.mentions ?? []) toChatId(m);
  }
  switch (content.type) {
    case 'text':
      if (typeof content.text !== 'string' || !content.text.trim()) invalid('text must not be empty');
      if (content.text.length > MAX_TEXT_LENGTH) invalid(`text is longer than ${MAX_TEXT_LENGTH} characters`);
      break;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      checkMedia(content.media, content.type);
      if ('caption' in content && content.caption !== undefined && content.caption.length > MAX_TEXT_LENGTH) {
        invalid('caption is too long');
      }
      break;
    case 'location':
      if (!(Math.abs(content.latitude) <= 90)) invalid('latitude must be within -90..90');
      if (!(Math.abs(content.longitude) <= 180)) invalid('longitude must be within -180..180');
      break;
    case 'contact':
      if (typeof content.vCard !== 'string' || !isVCard(content.vCard))
        invalid('contact needs a vCard (BEGIN:VCARD...END:VCARD)');
      break;
    case 'reaction':
      if (typeof content.messageId !== 'string' || !content.messageId)
        invalid('reaction needs the messageId reacted to');
      if (typeof content.emoji !== 'string' || [...content.emoji].length > 8)
        invalid('reaction must be one emoji (or empty)');
      break;
    case 'poll': {
      if (typeof content.name !== 'string' || !content.name.trim()) invalid('poll needs a name');
      const options = Array.isArray(content.options) ? content.options.map((o) => String(o).trim()) : [];
      if (options.length < 2 || options.length > MAX_POLL_OPTIONS)
        invalid(`poll needs 2 to ${MAX_POLL_OPTIONS} options`);
      if (options.some((o) => !o)) invalid('poll options must not be empty');
      if (new Set(options).size !== options.length) invalid('poll options must be distinct');
      break;
    }
    default:
      invalid(`unknown message type "${(content as { type?: unknown }).type}"`);
  }
  return content;
}
