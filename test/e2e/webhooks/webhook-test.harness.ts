import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { EventLogModule } from '@wwb/event-log';
import { EventPublisher } from '@wwb/kafka';
import { PlatformModule } from '@wwb/platform';
import { IdGenerator } from '@wwb/runtime';
import { DnsResolver, WebhooksModule } from '@wwb/webhooks';
import { accountWithKey, bearer, CreatedAccount, E2eApp, startApi } from '../support/e2e-app';

/** Settings of the webhook e2e tests: loopback allowed, compressed retries, short leases. */
export const WEBHOOK_TEST_ENV: Record<string, string> = {
  WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
  WEBHOOK_RETRY_SCALE: '0.001',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_LEASE_MS: '6000',
  WEBHOOK_CONSUMER_SESSION_TIMEOUT_MS: '6000',
  WEBHOOK_JOB_POLL_MS: '200',
};

export interface ReceivedRequest {
  at: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

/** A real HTTP receiver on loopback: records every request, answers as `respond` says. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  respond: (req: ReceivedRequest) => Reply = () => ({ status: 200, body: 'ok' });
  private server?: http.Server;
  port = 0;

  /** The server to listen with (HttpsReceiver serves TLS). */
  protected createServer(handler: http.RequestListener): http.Server {
    return http.createServer(handler);
  }

  async start(port = 0): Promise<this> {
    const server = this.createServer((req, res) => this.handle(req, res));
    this.server = server;
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = {
        at: Date.now(),
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(r);
      const reply = this.respond(r);
      const send = () => {
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        res.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** The parsed bodies of the requests received. */
  events(): EventEnvelope[] {
    return this.requests.map((r) => JSON.parse(r.body) as EventEnvelope);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The same receiver over HTTPS (`key`/`cert` in PEM): records every request, answers as `respond`
 * says, and counts TLS handshakes that the client broke off (`tlsErrors`).
 */
export class HttpsReceiver extends Receiver {
  /** Handshakes that failed (e.g. the client did not trust the certificate). */
  readonly tlsErrors: Error[] = [];

  constructor(private readonly tlsOptions: { key: string; cert: string }) {
    super();
  }

  protected override createServer(handler: http.RequestListener): http.Server {
    const server = https.createServer(this.tlsOptions, handler);
    server.on('tlsClientError', (err) => this.tlsErrors.push(err));
    return server;
  }

  override get url(): string {
    return `https://127.0.0.1:${this.port}/hook`;
  }
}

/** The worker role for tests: event log and webhooks (optionally with another DNS resolver). */
export async function startWorker(
  config: AppConfig,
  opts: { dns?: DnsResolver } = {},
): Promise<INestApplicationContext> {
  @Module({})
  class TestWorkerModule {}
  const root: DynamicModule = {
    module: TestWorkerModule,
    imports: [PlatformModule.forRoot(config), EventLogModule.withConsumer(), WebhooksModule.forWorker()],
  };
  let builder = Test.createTestingModule({ imports: [root] });
  if (opts.dns) builder = builder.overrideProvider(DnsResolver).useValue(opts.dns);
  const moduleRef = await builder.compile({ abortOnError: false } as never);
  moduleRef.useLogger(false);
  await moduleRef.init();
  return moduleRef;
}

export interface Stack {
  api: E2eApp;
  worker: INestApplicationContext;
  account: CreatedAccount;
  auth: Record<string, string>;
  publish(events: Partial<EventEnvelope>[]): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

const ids = new IdGenerator();

export function envelope(accountId: string, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: ids.ulid(),
    type: 'test.happened',
    version: 1,
    occurredAt: new Date().toISOString(),
    accountId,
    data: {},
    ...overrides,
  };
}

/** The API, an in-process worker and an account with a key, on a fresh database and topics. */
export async function startStack(
  overrides: Record<string, string> = {},
  workerFactory: (config: AppConfig) => Promise<INestApplicationContext> = (c) => startWorker(c),
): Promise<Stack> {
  const api = await startApi({ ...WEBHOOK_TEST_ENV, ...overrides });
  const worker = await workerFactory(api.config);
  const account = await accountWithKey(api.http, 'enterprise');
  const publisher = api.app.get(EventPublisher);
  return {
    api,
    worker,
    account,
    auth: bearer(account.key),
    async publish(partials) {
      const events = partials.map((p) => envelope(account.id, p));
      for (let i = 0; i < events.length; i += 500) await publisher.publish(events.slice(i, i + 500));
      return events;
    },
    async close() {
      await worker.close();
      await api.close();
    },
  };
}
