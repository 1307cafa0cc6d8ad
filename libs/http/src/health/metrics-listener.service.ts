import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '@wwb/config';
import { AppLogger, MetricsRegistry } from '@wwb/observability';
import { ReadinessService } from './readiness.service';

/**
 * METRICS_PORT: a second listener with GET /metrics and the detailed GET /health/ready and
 * nothing else, without a token, for a scraper on a private network (the API port keeps them
 * behind METRICS_TOKEN). Plain node:http: none of the API's middleware, auth or rate limits.
 */
@Injectable()
export class MetricsListenerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
    private readonly readiness: ReadinessService,
    private readonly logger: AppLogger,
  ) {}

  /** The bound address, when METRICS_PORT is set. */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.port;
    if (!port) return;
    const server = createServer((req, res) => {
      void this.answer(req.method, (req.url ?? '').split('?')[0]!).then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
          res.end(body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.http.host, () => resolve());
    });
    this.server = server;
    this.logger.pino.info(
      { port },
      `metrics and readiness details on http://${this.config.http.host}:${port}`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(
    method: string | undefined,
    path: string,
  ): Promise<{ status: number; type: string; body: string }> {
    if (method === 'GET' && path === '/metrics') {
      return { status: 200, type: this.metrics.contentType(), body: await this.metrics.render() };
    }
    if (method === 'GET' && path === '/health/ready') {
      const readiness = await this.readiness.check();
      const status = readiness.status === 'ok' ? 200 : 503;
      return { status, type: 'application/json', body: JSON.stringify(readiness) };
    }
    return {
      status: 404,
      type: 'application/json',
      body: JSON.stringify({ statusCode: 404, code: 'not_found' }),
    };
  }
}
