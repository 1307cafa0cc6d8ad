import { fitsMessageType, hasControlCharacters, isWellFormedMimetype, urlFilename } from '../media';
import { sendError } from './send-request.errors';
import type { MediaSource, MessageType, SendLimits, SendMessageBody } from './send-request.parser';

export const MAX_FILENAME_LENGTH = 255;
export const MEDIA_URL_FILENAME_PROBLEM =
  'the file name at the end of the media URL has malformed percent-escapes or control characters';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:([^;,]+(?:;[^;,=]+=[^;,]+)*);base64,/i;

function parseFilename(filename: string | undefined): { filename?: string } {
  if (filename === undefined) return {};
  const clean = filename.replace(/^.*[\\/]/, '');
  if (!clean.trim() || clean.length > MAX_FILENAME_LENGTH || hasControlCharacters(clean)) {
    throw sendError('invalid_filename');
  }
  return { filename: clean };
}

/** Checks a media type given or found for `type` against the allow-list and the message type. */
export function checkMimetype(type: MessageType, mimetype: string, limits: SendLimits): void {
  if (!isWellFormedMimetype(mimetype) || !limits.mimetypes.allows(mimetype)) {
    throw sendError('unsupported_mimetype', `media type "${mimetype.slice(0, 100)}" is not accepted`);
  }
  if (!fitsMessageType(type, mimetype)) {
    throw sendError('mimetype_mismatch', `a ${type} message cannot carry "${mimetype.slice(0, 100)}"`);
  }
}

/** The media of a media message: an upload id, base64 bytes (checked and decoded) or a URL (fetched later). */
export function parseMedia(
  type: MessageType,
  media: SendMessageBody['media'],
  limits: SendLimits,
): MediaSource {
  if (media === undefined) throw sendError('media_required', `a ${type} message needs media`);
  const sources = (['url', 'base64', 'uploadId'] as const).filter((k) => media[k] !== undefined);
  if (sources.length === 0) throw sendError('media_source_required');
  if (sources.length > 1) throw sendError('media_source_ambiguous', `media has ${sources.join(' and ')}`);
  const filename = parseFilename(media.filename);
  if (media.mimetype !== undefined) checkMimetype(type, media.mimetype, limits);
  const mimetype = media.mimetype !== undefined ? { mimetype: media.mimetype.trim() } : {};

  if (media.uploadId !== undefined) {
    if (!/^upl_[0-9A-Z]{26}$/.test(media.uploadId)) throw sendError('upload_not_found');
    return { kind: 'upload', uploadId: media.uploadId, ...mimetype, ...filename };
  }
  if (media.url !== undefined)
    return { kind: 'url', url: parseMediaUrl(media.url), ...mimetype, ...filename };

  let text = media.base64!;
  let declared = media.mimetype?.trim();
  const dataUrl = DATA_URL.exec(text);
  if (dataUrl) {
    text = text.slice(dataUrl[0].length);
    if (declared === undefined) {
      declared = dataUrl[1]!;
      checkMimetype(type, declared, limits);
    }
  }
  text = text.replace(/\s+/g, '');
  if (!text || text.length % 4 === 1 || !BASE64.test(text)) throw sendError('invalid_base64');
  if (declared === undefined) throw sendError('mimetype_required');
  const data = Buffer.from(text, 'base64');
  if (data.length === 0) throw sendError('invalid_base64');
  if (data.length > limits.maxMediaBytes) {
    throw sendError('media_too_large', `media is ${data.length} bytes, the limit is ${limits.maxMediaBytes}`);
  }
  return { kind: 'base64', data, mimetype: declared, ...filename };
}

export function parseMediaUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw sendError('invalid_media_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw sendError('invalid_media_url', `media URLs must be http or https, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw sendError('invalid_media_url', 'media URLs must not carry credentials');
  }
  if (raw.length > 2048) throw sendError('invalid_media_url', 'media URLs are limited to 2048 characters');
  if (urlFilename(url.pathname) === null) throw sendError('invalid_media_url', MEDIA_URL_FILENAME_PROBLEM);
  return url;
}
