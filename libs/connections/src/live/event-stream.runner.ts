import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AccountQuotaService, CredentialCheckService, Principal, QuotaHold } from '@wwb/accounts';
import { EventEnvelope } from '@wwb/contracts';
import { AppError } from '@wwb/http';
import { AppLogger } from '@wwb/observability';
import { Clock, DomainError } from '@wwb/runtime';
import { ConnectionEventsFeed } from './connection-events.feed';
import { EventStreamPolicy, StreamCloseReason } from './event-stream.policy';

const HEARTBEAT_MS = 15_000;
/**
 * A stream's registration in the account's sseStreams quota lapses this long after its last
 * renewal (renewed every third of it): the streams of an API process that died stop counting
 * once the reaper deletes them.
 */
export const STREAM_SLOT_TTL_MS = 60_000;
const STREAM_SLOT_RENEW_MS = STREAM_SLOT_TTL_MS / 3;

/** A stream's place in the account's quota of streams (over every API process). */
interface StreamRegistration {
  /** True while the stream may go on (renewed, or registered again after it lapsed). */
  renew(): Promise<boolean>;
  release(): void;
}

export interface EventStreamRequest {
  principal: Principal;
  accountId: string;
  connectionId: string;
  req: Request;
  res: Response;
  /** The first message (`event: connection`), read once the feed is live. */
  snapshot: () => Promise<unknown>;
}

/**
 * Runs the Server-Sent Events stream of one connection: takes a slot of the key in this process
 * and one of the account's plan limit sseStreams over every API process (either 429
 * too_many_streams before any byte is written), streams the feed's events, and ends the stream
 * when the client goes away,
 * stops reading (back-pressure bounds of EventStreamPolicy), or its key is revoked or its
 * account disabled (the key is verified again every few seconds, as the guard verifies it).
 */
@Injectable()
export class EventStreamRunner {
  constructor(
    private readonly feed: ConnectionEventsFeed,
    private readonly policy: EventStreamPolicy,
    private readonly credentials: CredentialCheckService,
    private readonly quotas: AccountQuotaService,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  async run(request: EventStreamRequest): Promise<void> {
    const releaseKeySlot = this.policy.acquire(request.principal.apiKeyId);
    let registration: StreamRegistration;
    try {
      registration = await this.register(request.principal);
    } catch (err) {
      releaseKeySlot();
      throw err;
    }
    const release = () => {
      releaseKeySlot();
      registration.release();
    };
    const stream = new LiveStream(
      request,
      release,
      registration,
      this.policy,
      this.credentials,
      this.clock,
      this.logger,
    );
    await stream.start(this.feed);
  }

  /** Takes the stream's slot of the account's sseStreams (429 too_many_streams at the limit). */
  private async register(principal: Principal): Promise<StreamRegistration> {
    const { scope } = principal;
    const acquire = () =>
      this.quotas.acquire(scope, 'sseStreams', `sse-${randomUUID()}`, { ttlMs: STREAM_SLOT_TTL_MS });
    let hold: QuotaHold = await acquire();
    return {
      renew: async () => {
        if (await this.quotas.renew(hold, STREAM_SLOT_TTL_MS)) return true;
        // Lapsed (this process stalled past the TTL) and reaped: register again if there is room.
        hold = await acquire();
        return true;
      },
      release: () => {
        this.quotas.release(scope, hold).catch((err: unknown) => {
          this.logger.pino.warn({ err }, 'stream slot not given back; it lapses on its own');
        });
      },
    };
  }
}

class LiveStream {
  private open = true;
  private stalledSince: number | null = null;
  private lastKeyCheck: number;
  private checkingKey = false;
  private lastRenewal: number;
  private renewing = false;
  private unsubscribe: () => void = () => undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly request: EventStreamRequest,
    private readonly release: () => void,
    private readonly registration: StreamRegistration,
    private readonly policy: EventStreamPolicy,
    private readonly credentials: CredentialCheckService,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {
    this.lastKeyCheck = clock.nowMs();
    this.lastRenewal = this.lastKeyCheck;
  }

  async start(feed: ConnectionEventsFeed): Promise<void> {
    const { req, res } = this.request;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.on('drain', () => (this.stalledSince = null));
    req.on('close', () => this.end());
    res.on('close', () => this.end());
    this.write('retry: 3000\n\n');
    this.every(HEARTBEAT_MS, () => this.write(': ping\n\n'));
    this.every(this.policy.bounds.tickMs, () => this.tick());
    const subscription = await feed.subscribe({
      accountId: this.request.accountId,
      connectionId: this.request.connectionId,
      onEvent: (event: EventEnvelope) =>
        this.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      onClose: () => this.end(),
    });
    this.unsubscribe = subscription.unsubscribe;
    if (!this.open) {
      subscription.unsubscribe();
      return;
    }
    // The state now, read once the feed is live: nothing that happens from here on is missed.
    const current = await this.request.snapshot();
    this.write(`event: connection\ndata: ${JSON.stringify(current)}\n\n`);
  }

  private write(chunk: string): void {
    if (!this.open) return;
    if (!this.request.res.write(chunk) && this.stalledSince === null) this.stalledSince = this.clock.nowMs();
    this.checkBackpressure();
  }

  private tick(): void {
    if (!this.open) return;
    this.checkBackpressure();
    const now = this.clock.nowMs();
    if (this.open && !this.checkingKey && now - this.lastKeyCheck >= this.policy.bounds.keyCheckMs) {
      this.lastKeyCheck = now;
      this.checkingKey = true;
      void this.checkKey().finally(() => (this.checkingKey = false));
    }
    if (this.open && !this.renewing && now - this.lastRenewal >= STREAM_SLOT_RENEW_MS) {
      this.lastRenewal = now;
      this.renewing = true;
      void this.renew().finally(() => (this.renewing = false));
    }
  }

  /** Keeps the account's stream slot; a stream that lost it and finds no room is closed. */
  private async renew(): Promise<void> {
    try {
      await this.registration.renew();
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'too_many_streams') {
        // The quota store is unreachable: keep the stream, the next renewal decides.
        this.logger.pino.warn({ err }, 'live event stream could not renew its slot');
        return;
      }
      if (!this.open) return;
      this.write(`event: closed\ndata: ${JSON.stringify({ code: err.code, message: err.message })}\n\n`);
      this.end();
    }
  }

  private checkBackpressure(): void {
    const { res } = this.request;
    if (!this.open || !this.policy.mustDrop(res.writableLength, this.stalledSince, this.clock.nowMs()))
      return;
    this.logger.pino.info(
      { connectionId: this.request.connectionId, apiKeyId: this.request.principal.apiKeyId },
      'live event stream dropped: the client does not read',
    );
    this.policy.recordClosed('slow_client');
    // end() would wait for the client to read what is buffered; it will not.
    this.end();
    res.destroy();
  }

  private async checkKey(): Promise<void> {
    try {
      // The API key, or the console session the stream was opened with.
      await this.credentials.recheck(this.request.req);
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 401 && err.status !== 403)) {
        // The key store is unreachable: keep the stream, the next check decides.
        this.logger.pino.warn({ err }, 'live event stream could not verify its key');
        return;
      }
      if (!this.open) return;
      const reason: StreamCloseReason = err.code === 'account_disabled' ? 'account_disabled' : 'key_revoked';
      this.policy.recordClosed(reason);
      this.write(`event: closed\ndata: ${JSON.stringify({ code: err.code, message: err.message })}\n\n`);
      this.end();
    }
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private end(): void {
    if (!this.open) return;
    this.open = false;
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe();
    this.release();
    this.request.res.end();
  }
}
