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
const multipartPaths = new Set<string>();

/**
 * Lets `multipart/form-data` bodies through the JSON body middleware for one exact path (a file
 * upload endpoint whose handler parses the body itself, e.g. with multer). Every other path
 * keeps answering 415 to anything but JSON. Domain modules call this when they are composed.
 */
export function allowMultipartBody(path: string): void {
  multipartPaths.add(path);
}

function isAllowedMultipart(req: Request): boolean {
  const type = req.headers['content-type'];
  return !!type && MULTIPART_TYPE.test(type.split(';', 1)[0]!.trim()) && multipartPaths.has(req.path);
}

/**
 * JSON only: a body of another type is refused with 415 before anything reads it; a body
 * parser error becomes a typed AppError (400 malformed_json, 413 payload_too_large, 415 ...).
 * Exception: multipart bodies on the paths registered with allowMultipartBody().
 */
export function jsonBodyMiddleware(limitBytes: number): RequestHandler {
  const parse = express.json({
    limit: limitBytes,
    strict: true,
    type: (req) => isJsonContentType(req.headers['content-type']),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req) || isAllowedMultipart(req)) return next();
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
