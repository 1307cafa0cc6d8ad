import type { NestApplicationOptions } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@wwb/config';
import { AppLogger, MetricsRegistry } from '@wwb/observability';
import { HTTP_REQUEST_ANSWERED, httpObserverMiddleware } from './requests/http-observer.middleware';
import { jsonBodyMiddleware } from './requests/json-body.middleware';
import { setupOpenApi } from './openapi/openapi.setup';
import { requestContextMiddleware, requestIdMiddleware } from './requests/request-context.middleware';

/**
 * Options to create the Nest app with: our own JSON parser replaces Nest's (which has its own
 * limit and would also accept url-encoded bodies), and logs are buffered until our logger is set.
 */
export const HTTP_APP_OPTIONS: NestApplicationOptions = { bodyParser: false, bufferLogs: true };

/**
 * Everything an HTTP app needs on top of HttpPlatformModule, in the order it must run:
 * request id → latency/access log → JSON body (415/413/400) → request context → Nest routes.
 * The exception filter and validation pipe come from HttpPlatformModule (global providers).
 * Call before `listen()` / `init()`; create the app with HTTP_APP_OPTIONS.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): NestExpressApplication {
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  // Idle keep-alive connections outlive a load balancer's (HTTP_KEEP_ALIVE_TIMEOUT_MS), so the
  // balancer closes them, never this server under a request it is sending. headersTimeout must
  // exceed it: a connection waiting for its next request is also waiting for headers.
  const server = app.getHttpServer();
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.headersTimeout = config.http.keepAliveTimeoutMs + 1_000;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // req.ip: the socket address, or X-Forwarded-For through this many trusted proxies (TRUST_PROXY).
  app.set('trust proxy', config.http.trustProxyHops);
  app.use(requestIdMiddleware);
  const signals = app.get(EventEmitter2, { strict: false });
  app.use(
    httpObserverMiddleware(app.get(MetricsRegistry), logger.child({ context: 'http' }), (answered) =>
      signals.emit(HTTP_REQUEST_ANSWERED, answered),
    ),
  );
  app.use(jsonBodyMiddleware(config.http.bodyLimitBytes));
  app.use(requestContextMiddleware);
  setupOpenApi(app, config);
  return app;
}
