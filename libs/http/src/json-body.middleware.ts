import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from './app.error';
import { bodyParserError } from './error-mapping';

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
 * cap. Every other path, and every other type on this path, keeps answering 415 to anything but
 * JSON. Domain modules call this when they are composed.
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

/** Whether a body of this Content-Type is left for the handler of `path` (see allowStreamBody). */
export function isStreamBodyAllowed(path: string, contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';', 1)[0]!.trim();
  return streamPaths.get(path)?.some((p) => p.test(media)) ?? false;
}

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
      next(bodyParserError(err, limitBytes) ?? err);
    });
  };
}
