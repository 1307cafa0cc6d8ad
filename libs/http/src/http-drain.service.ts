import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';

/**
 * Graceful HTTP shutdown: stop accepting connections and let in-flight requests finish before
 * any onApplicationShutdown hook closes Mongo or Kafka (which would turn them into 500s).
 * Idle keep-alive connections are closed as they become idle; after SHUTDOWN_TIMEOUT_MS the
 * rest are cut.
 */
@Injectable()
export class HttpDrainService implements BeforeApplicationShutdown {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly logger: AppLogger,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => {
        this.logger.pino.warn(
          { timeoutMs: this.config.shutdownTimeoutMs },
          'HTTP drain timed out; closing connections',
        );
        server.closeAllConnections();
      }, this.config.shutdownTimeoutMs);
      server.close(() => {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    });
    this.logger.pino.info({ ms: Date.now() - started }, 'HTTP server drained');
  }
}
