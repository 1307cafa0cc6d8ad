import { getConnectionToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import { get, IncomingMessage } from 'node:http';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { bootstrapApi } from '../../../apps/api/src/main';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { AppConfig, loadConfig } from '@wwb/config';
import { GatewayNode } from '@wwb/gateway';
import { startHttpRole } from '@wwb/http';
import { testEnv, waitFor } from '@wwb/testing';
import { admin } from './e2e-app';

/**
 * An API process and gateway processes in this jest process (each its own Nest app, sharing the
 * test file's Mongo database and Kafka topics), against the real Kafka and FerretDB.
 */
export class ConnectionsStack {
  readonly gateways: NestExpressApplication[] = [];
  http!: TestAgent;
  baseUrl!: string;
  api!: NestExpressApplication;

  constructor(
    readonly env: Record<string, string>,
    readonly config: AppConfig = loadConfig(env),
  ) {}

  static async start(overrides: Record<string, string> = {}): Promise<ConnectionsStack> {
    const env = testEnv({
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      WHATSAPP_DRIVER: 'simulator',
      GATEWAY_SESSION_TIMEOUT_MS: '6000',
      GATEWAY_HANDOFF_WAIT_MS: '20000',
      GATEWAY_REPLY_TIMEOUT_MS: '8000',
      SHUTDOWN_TIMEOUT_MS: '5000',
      // Functional tests make many calls with one key; how many fit in a rate-limit window would
      // depend on the machine's speed. The rate limit has its own tests (rate-limit*.test.ts).
      RATE_LIMIT_PER_SECOND: '1000',
      RATE_LIMIT_BURST: '1000',
      ...overrides,
    });
    const stack = new ConnectionsStack(env);
    stack.api = await bootstrapApi(stack.config);
    const address = stack.api.getHttpServer().address();
    if (typeof address !== 'object' || !address) throw new Error('server has no address');
    stack.baseUrl = `http://127.0.0.1:${address.port}`;
    stack.http = request(stack.baseUrl);
    return stack;
  }

  /** Starts a gateway (its own Nest app), waits until it joined the group; `overrides` change its settings. */
  async startGateway(overrides: Record<string, string> = {}): Promise<NestExpressApplication> {
    const config = Object.keys(overrides).length ? loadConfig({ ...this.env, ...overrides }) : this.config;
    const app = await startHttpRole('gateway', (c) => GatewayModule.forRoot(c), config);
    this.gateways.push(app);
    await app.get(GatewayNode).consumer!.joined;
    return app;
  }

  /** Another API process on the same database and topics, with some settings changed. */
  async startExtraApi(
    overrides: Record<string, string>,
  ): Promise<{ http: TestAgent; baseUrl: string; close(): Promise<void> }> {
    const app = await bootstrapApi(loadConfig({ ...this.env, ...overrides }));
    const address = app.getHttpServer().address();
    if (typeof address !== 'object' || !address) throw new Error('server has no address');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    return { http: request(baseUrl), baseUrl, close: () => app.close() };
  }

  async stopGateway(app: NestExpressApplication): Promise<void> {
    this.gateways.splice(this.gateways.indexOf(app), 1);
    await app.close();
  }

  get db(): Connection {
    return this.api.get<Connection>(getConnectionToken());
  }

  async close(): Promise<void> {
    for (const g of [...this.gateways]) await this.stopGateway(g);
    await this.db.dropDatabase().catch(() => undefined);
    await this.api.close();
    const kafka = new Kafka({ brokers: this.config.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await kafka.connect();
    try {
      const topics = Object.values(this.config.kafka.topics).map((t) => t.name);
      const existing = new Set(await kafka.listTopics());
      await kafka.deleteTopics({ topics: topics.filter((t) => existing.has(t)) });
    } finally {
      await kafka.disconnect();
    }
  }

  /** An account with one key. */
  async account(
    plan: 'starter' | 'professional' | 'enterprise' = 'professional',
  ): Promise<{ id: string; key: string }> {
    const acc = await this.http
      .post('/v1/admin/accounts')
      .set(admin)
      .send({ name: `conn-${plan}`, plan })
      .expect(201);
    const key = await this.http
      .post(`/v1/admin/accounts/${acc.body.id}/api-keys`)
      .set(admin)
      .send({ name: 'main' })
      .expect(201);
    return { id: acc.body.id as string, key: key.body.key as string };
  }

  /** Polls GET /v1/connections/:id until its status is `status`. */
  async waitForStatus(
    key: string,
    id: string,
    status: string | string[],
    timeoutMs = 30_000,
  ): Promise<Record<string, unknown>> {
    const wanted = Array.isArray(status) ? status : [status];
    let last: unknown;
    try {
      return (await waitFor(
        async () => {
          const res = await this.http.get(`/v1/connections/${id}`).set(auth(key));
          last = res.body;
          return res.status === 200 && wanted.includes(res.body.status as string)
            ? (res.body as Record<string, unknown>)
            : undefined;
        },
        { timeoutMs, intervalMs: 100, what: `${id} ${wanted.join('|')}` },
      ))!;
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
    }
  }
}

export const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

export interface SseMessage {
  event: string;
  id?: string;
  data: unknown;
}

/** A minimal Server-Sent Events client over node:http. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  status?: number;
  headers?: IncomingMessage['headers'];
  private response?: IncomingMessage;
  private buffer = '';
  private readonly ended: Promise<void>;
  private endResolve!: () => void;

  constructor(url: string, headers: Record<string, string>) {
    this.ended = new Promise((resolve) => (this.endResolve = resolve));
    const req = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      this.response = res;
      this.status = res.statusCode;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('end', () => this.endResolve());
      res.on('close', () => this.endResolve());
    });
    req.on('error', () => this.endResolve());
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    for (let i = this.buffer.indexOf('\n\n'); i >= 0; i = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'id') id = value;
        else if (field === 'data') data.push(value);
      }
      if (!data.length) continue;
      const text = data.join('\n');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep the text
      }
      this.messages.push({ event, ...(id ? { id } : {}), data: parsed });
    }
  }

  /** Waits for a message matching `match`. */
  next(match: (m: SseMessage) => boolean, timeoutMs = 30_000, what = 'SSE message'): Promise<SseMessage> {
    return waitFor(() => this.messages.find(match), {
      timeoutMs,
      intervalMs: 50,
      what,
    }) as Promise<SseMessage>;
  }

  /** Body of an error answer (the stream did not open). */
  async text(): Promise<string> {
    await this.ended;
    return this.buffer;
  }

  close(): void {
    this.response?.destroy();
  }

  whenEnded(): Promise<void> {
    return this.ended;
  }
}
