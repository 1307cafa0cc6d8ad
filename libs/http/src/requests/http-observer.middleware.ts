import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { MetricsRegistry } from '@wwb/observability';
import { contextOf } from './request-id';

/** The matched route pattern (`/v1/api-keys/:id`), never the raw URL, so label cardinality stays bounded. */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return route && typeof route.path === 'string' ? route.path : 'unmatched';
}

/** In-process event (EventEmitter2) of every answered request; API usage counting listens. */
export const HTTP_REQUEST_ANSWERED = 'http.request.answered';

export interface HttpRequestAnswered {
  /** The request, with whatever the guards attached (the principal). */
  req: Request;
  method: string;
  /** The matched route pattern (see routeLabel). */
  route: string;
  status: number;
}

/**
 * Observes every request once it is answered: the latency histogram (method, route, status),
 * one access-log line with method, route, status and duration, and `onAnswered` (the
 * HTTP_REQUEST_ANSWERED event). Headers are never logged.
 */
export function httpObserverMiddleware(
  metrics: MetricsRegistry,
  logger: Logger,
  onAnswered: (answered: HttpRequestAnswered) => void = () => undefined,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      const status = res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      onAnswered({ req, method: req.method, route, status });
      const level = status >= 500 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const { requestId, correlationId } = contextOf(req);
      const line = {
        requestId,
        correlationId,
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e6) / 1e3,
      };
      logger[level](line, status >= 500 ? 'request failed' : 'request');
    });
    next();
  };
}
