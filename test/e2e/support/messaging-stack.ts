import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import { startHttpRole } from '@wwb/http';
import { waitFor } from '@wwb/testing';
import { auth, ConnectionsStack } from './connections-stack';

export const MEDIA_LIMIT = 64 * 1024;

/**
 * The API, a worker (message-status and conversations consumers, outbox sweeper) and gateways in
 * this jest process, on the test file's own Mongo database and Kafka topics, with the simulator
 * driver. Settings are tightened so that sweeps and limits show within a test's time.
 */
export class MessagingStack {
  worker?: NestExpressApplication;

  private constructor(readonly stack: ConnectionsStack) {}

  static async start(overrides: Record<string, string> = {}): Promise<MessagingStack> {
    const stack = await ConnectionsStack.start({
      MEDIA_MAX_BYTES: String(MEDIA_LIMIT),
      MEDIA_URL_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
      MEDIA_URL_TIMEOUT_MS: '3000',
      MESSAGE_READY_TIMEOUT_MS: '15000',
      MESSAGE_REQUEUE_AFTER_MS: '1500',
      MESSAGE_SWEEP_INTERVAL_MS: '300',
      RATE_LIMIT_PER_SECOND: '1000',
      RATE_LIMIT_BURST: '1000',
      ...overrides,
    });
    return new MessagingStack(stack);
  }

  get http() {
    return this.stack.http;
  }

  async startWorker(): Promise<NestExpressApplication> {
    this.worker = await startHttpRole('worker', (c) => WorkerModule.forRoot(c), this.stack.config);
    return this.worker;
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.stack.close();
  }

  /** Creates a simulator connection and links it (scan); resolves once it is ready. */
  async readyConnection(key: string, phoneNumber?: string): Promise<string> {
    const created = await this.http
      .post('/v1/connections')
      .set(auth(key))
      .send({ name: 'messaging', driver: 'simulator' })
      .expect(201);
    const id = created.body.id as string;
    await this.stack.waitForStatus(key, id, 'qr');
    await this.http
      .post(`/v1/connections/${id}/simulator/scan`)
      .set(auth(key))
      .send(phoneNumber ? { phoneNumber } : {})
      .expect(200);
    await this.stack.waitForStatus(key, id, 'ready');
    return id;
  }

  /** Polls GET /messages/:id until `match` holds; returns the body. */
  async waitForMessage(
    key: string,
    connectionId: string,
    messageId: string,
    match: (body: Record<string, unknown>) => boolean,
    timeoutMs = 30_000,
  ): Promise<Record<string, unknown>> {
    let last: unknown;
    try {
      return (await waitFor<Record<string, unknown> | undefined>(
        async () => {
          const res = await this.http
            .get(`/v1/connections/${connectionId}/messages/${messageId}`)
            .set(auth(key));
          last = res.body;
          return res.status === 200 && match(res.body as Record<string, unknown>)
            ? (res.body as Record<string, unknown>)
            : undefined;
        },
        { timeoutMs, intervalMs: 50, what: `message ${messageId}` },
      )) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
    }
  }

  /** Polls the messages of a chat until `match` finds one; returns it. */
  async waitForChatMessage(
    key: string,
    connectionId: string,
    chatId: string,
    match: (m: Record<string, unknown>) => boolean,
    timeoutMs = 30_000,
  ): Promise<Record<string, unknown>> {
    let last: unknown;
    try {
      return (await waitFor<Record<string, unknown> | undefined>(
        async () => {
          const res = await this.http
            .get(`/v1/connections/${connectionId}/chats/${encodeURIComponent(chatId)}/messages?limit=200`)
            .set(auth(key));
          last = res.body;
          return res.status === 200 ? (res.body.data as Record<string, unknown>[]).find(match) : undefined;
        },
        { timeoutMs, intervalMs: 100, what: `chat message in ${chatId}` },
      )) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last).slice(0, 2000)}`);
    }
  }
}

/** A tiny HTTP server for media URLs (127.0.0.1, allowed by MEDIA_URL_ALLOW_PRIVATE_HOSTS). */
export async function startMediaServer(): Promise<{ base: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    switch (req.url) {
      case '/pic.png':
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length }).end(png);
        return;
      case '/doc.pdf':
        res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(Buffer.from('%PDF-1.4 fake'));
        return;
      case '/big.png':
        res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.alloc(MEDIA_LIMIT + 1, 7));
        return;
      case '/page.html':
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>');
        return;
      case '/to-metadata':
        res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data' }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, server, hits };
}
