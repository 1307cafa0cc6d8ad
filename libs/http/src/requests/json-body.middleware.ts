import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors/app.error';
import { bodyParserError } from '../errors/error-mapping';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** True when the request carries a body (a non-zero Content-Length or a chunked transfer). */
export function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  return JSON_TYPE.test(header.split(';', 1)[0]!.trim());
}

/** JSON is UTF-8 (RFC 8259): any other declared charset is refused. */
export function hasAcceptableCharset(header: string | undefined): boolean {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header ?? '');
  return !m || ['utf-8', 'utf8'].includes(m[1]!.toLowerCase());
}

const MULTIPART_TYPE = /^multipart\/form-data$/i;
const streamPaths = new Map<string, RegExp[]>();

/**
 * Lets bodies whose media type (the Content-Type before any `;`) matches `contentType` through
 * the JSON body middleware, unread, for one exact path: an endpoint whose handler reads the body
 * itself (an upload parsed by multer, a CSV streamed from the request) and enforces its own size
 * cap. A `:name` segment of `path` matches any one segment (`/v1/connections/:id/bulk`). Every
 * other path, and every other type on this path, keeps answering 415 to anything but JSON. Domain modules call this when they are composed.
 */
export function allowStreamBody(path: string, contentType: RegExp): void {
  const patterns = streamPaths.get(path) ?? [];
  if (!patterns.some((p) => p.source === contentType.source && p.flags === contentType.flags)) {
    patterns.push(contentType);
  }
  streamPaths.set(path, patterns);
}

/** `allowStreamBody(path, multipart/form-data)`: a file upload endpoint. */
export function allowMultipartBody(path: string): void {
  allowStreamBody(path, MULTIPART_TYPE);
}

/** `path` against a registered one, where a `:name` segment stands for any one non-empty segment. */
function pathMatches(pattern: string, path: string): boolean {
  if (pattern === path) return true;
  if (!pattern.includes('/:')) return false;
  const want = pattern.split('/');
  const got = path.split('/');
  return (
    want.length === got.length &&
    want.every((seg, i) => (seg.startsWith(':') ? got[i] !== '' : seg === got[i]))
  );
}

/** Whether a body of this Content-Type is left for the handler of `path` (see allowStreamBody). */
export function isStreamBodyAllowed(path: string, contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';', 1)[0]!.trim();
  for (const [pattern, types] of streamPaths) {
    if (pathMatches(pattern, path) && types.some((p) => p.test(media))) return true;
  }
  return false;
}

/** How deeply objects and arrays may nest in a request body (no API shape comes close). */
export const MAX_JSON_DEPTH = 64;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of objects and arrays in raw JSON bytes, counted in one pass without
 * recursion (brackets inside strings do not count). Whatever walks a parsed body later (the
 * validation pipe, loggers) recurses, and 100,000 nested arrays would overflow its stack.
 * Stops counting once past `limit`.
 */
export function jsonDepthExceeds(raw: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

class JsonTooDeepError extends Error {}

/**
 * JSON only: a body of another type is refused with 415 before anything reads it; a body
 * parser error becomes a typed AppError (400 malformed_json, 413 payload_too_large, 415 ...).
 * Exception: the bodies registered for a path with allowStreamBody() / allowMultipartBody().
 */
export function jsonBodyMiddleware(limitBytes: number): RequestHandler {
  const parse = express.json({
    limit: limitBytes,
    strict: true,
    type: (req) => isJsonContentType(req.headers['content-type']),
    verify: (_req, _res, raw) => {
      if (jsonDepthExceeds(raw, MAX_JSON_DEPTH)) throw new JsonTooDeepError();
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req) || isStreamBodyAllowed(req.path, req.headers['content-type'])) return next();
    const type = req.headers['content-type'];
    if (!isJsonContentType(type) || !hasAcceptableCharset(type)) {
      // Drain what the client sends so that it reads our answer instead of a reset connection.
      req.resume();
      return next(
        new AppError(
          415,
          'unsupported_media_type',
          'Request bodies must be JSON (Content-Type: application/json)',
          {
            contentType: req.headers['content-type'] ?? null,
          },
        ),
      );
    }
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      if (err instanceof JsonTooDeepError) {
        return next(
          new AppError(
            400,
            'json_too_deep',
            `JSON may nest objects and arrays ${MAX_JSON_DEPTH} levels deep`,
            {
              maxDepth: MAX_JSON_DEPTH,
            },
          ),
        );
      }
      next(bodyParserError(err, limitBytes) ?? err);
    });
  };
}
