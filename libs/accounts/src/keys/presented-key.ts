import type { ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import { AppError } from '@wwb/http';

/** The key from `Authorization: Bearer <key>`, else from `X-API-Key`. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (m) return m[1];
  }
  const header = headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() || undefined;
}

/** Adds `WWW-Authenticate: Bearer` to 401 answers. */
export function withChallenge(ctx: ExecutionContext, err: unknown): unknown {
  if (err instanceof AppError && err.status === 401) {
    ctx.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
  }
  return err;
}

/** The client address: the socket's, or X-Forwarded-For through TRUST_PROXY trusted hops (express req.ip). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** 429 too_many_auth_failures with Retry-After. */
export function tooManyAuthFailures(ctx: ExecutionContext, retryAfterSeconds: number): AppError {
  ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
  return new AppError(
    429,
    'too_many_auth_failures',
    'Too many failed authentications from this address; retry later',
    { retryAfterSeconds },
  );
}
