import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '@wwb/runtime';
import { attachContext, contextOf, newRequestId, saneId } from './request-id';

/**
 * First middleware of the chain: takes a sane `X-Request-Id` or makes one, takes
 * `X-Correlation-Id` (default: the request id), echoes both in the response headers and keeps
 * them on the request, so that even errors raised before any handler carry the request id.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = saneId(req.headers['x-request-id']) ?? newRequestId();
  const correlationId = saneId(req.headers['x-correlation-id']) ?? requestId;
  attachContext(req, { requestId, correlationId });
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('X-Correlation-Id', correlationId);
  next();
}

/**
 * Runs the rest of the request inside RequestContext. Mounted after the body parser on purpose:
 * stream callbacks of the parser run in the socket's async context, which would lose the store.
 */
export function requestContextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  RequestContext.run(contextOf(req), next);
}
