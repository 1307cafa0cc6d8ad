import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'pino';
import { EventEnvelope, isEventOf } from '@wwb/contracts';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { matchesAny } from './event-pattern';
import { signingSecrets } from './secret-rotation';
import { ENDPOINT_CHANGE_SETTLE_MS, WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookDisableRecord, WebhookEndpointRecord } from './webhook-endpoint.schema';
import { secretKey } from '../delivery/webhook-signature';

/** The settings version is read this often (well within ENDPOINT_CHANGE_SETTLE_MS). */
const POLL_MS = 80;
const FULL_RELOAD_MS = 60_000;

/** An endpoint as a worker uses it: settings, signing keys, custom headers, disabled or not. */
export interface CachedEndpoint {
  record: WebhookEndpointRecord;
  keys: Buffer[];
  headers: Record<string, string>;
  disabled: WebhookDisableRecord | null;
  createdAtMs: number;
}

export type DirectoryChange =
  | { kind: 'removed'; endpointId: string }
  | { kind: 'disabled'; endpointId: string; record: WebhookDisableRecord };

/**
 * The worker's copy of every endpoint (settings, secrets, disable records), reloaded from Mongo
 * when the settings version changes (read every POLL_MS). The fan-out asks for a copy fresh
 * enough for its newest event (`ensureFresh`): an endpoint whose creation was answered before an
 * event occurred always receives that event. A change is answered ENDPOINT_CHANGE_SETTLE_MS
 * after it was written, so a check that started at S has seen every change answered before
 * S + ENDPOINT_CHANGE_SETTLE_MS; only when the polls fall behind does a batch wait for a check.
 * Refreshes are shared: concurrent callers wait for one.
 */
@Injectable()
export class EndpointDirectory implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private refreshTimer?: NodeJS.Timeout;
  private byId = new Map<string, CachedEndpoint>();
  private byAccount = new Map<string, CachedEndpoint[]>();
  private loadedStartedAt = -1;
  private fullLoadAt = -Infinity;
  private version = '';
  private current?: { startedAt: number; promise: Promise<void> };
  private next?: Promise<void>;
  private readonly listeners: ((change: DirectoryChange) => void)[] = [];
  private readonly logger: Logger;

  constructor(
    private readonly repository: WebhookEndpointRepository,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'EndpointDirectory' });
  }

  /** Polls the settings version (a reload only when it changed, or once a minute). */
  onApplicationBootstrap(): void {
    this.refreshTimer = setInterval(() => {
      if (this.current) return; // one in flight
      this.refresh(false).catch((err: unknown) => this.logger.warn({ err }, 'endpoint reload failed'));
    }, POLL_MS);
    this.refreshTimer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.refreshTimer);
  }

  onChange(listener: (change: DirectoryChange) => void): void {
    this.listeners.push(listener);
  }

  get(endpointId: string): CachedEndpoint | undefined {
    return this.byId.get(endpointId);
  }

  get ageMs(): number {
    return this.loadedStartedAt < 0 ? Infinity : this.clock.nowMs() - this.loadedStartedAt;
  }

  /**
   * Resolves once the copy holds every change answered before `atMs`: at once if a completed
   * check started after `atMs - ENDPOINT_CHANGE_SETTLE_MS` (see the class comment), else after
   * such a check.
   */
  ensureFresh(atMs: number): Promise<void> {
    const needStartedAt = atMs - ENDPOINT_CHANGE_SETTLE_MS;
    if (this.loadedStartedAt >= needStartedAt) return Promise.resolve();
    if (this.current && this.current.startedAt >= needStartedAt) return this.current.promise;
    if (!this.current) return this.refresh(false);
    this.next ??= this.current.promise
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.refresh(false);
      });
    return this.next;
  }

  /** Reloads everything now (or joins a refresh in progress). */
  load(): Promise<void> {
    return this.refresh(true);
  }

  /**
   * Reads the settings version (one small document) and reloads only when it changed, or
   * when `force` or the copy is older than a minute (secrets stop signing with time).
   */
  private refresh(force: boolean): Promise<void> {
    if (this.current && !force) return this.current.promise;
    const startedAt = this.clock.nowMs();
    const run = async () => {
      if (this.current && force) await this.current.promise.catch(() => undefined);
      const version = await this.repository.version();
      if (force || version !== this.version || startedAt - this.fullLoadAt > FULL_RELOAD_MS) {
        await this.doLoad(startedAt, version);
      } else if (startedAt > this.loadedStartedAt) this.loadedStartedAt = startedAt;
    };
    const promise = run().finally(() => {
      if (this.current?.promise === promise) this.current = undefined;
    });
    this.current = { startedAt, promise };
    return promise;
  }

  /** The endpoints an event goes to. */
  match(e: EventEnvelope): CachedEndpoint[] {
    const candidates = this.byAccount.get(e.accountId);
    if (!candidates) return [];
    if (e.type === 'webhook.test') {
      const endpointId = isEventOf(e, 'webhook.test') ? e.data.endpointId : undefined;
      const target = candidates.find((c) => c.record._id === endpointId && !c.disabled);
      return target ? [target] : [];
    }
    const disabledId = isEventOf(e, 'webhook.endpoint.disabled') ? e.data.endpointId : undefined;
    const occurredMs = Date.parse(e.occurredAt);
    const out: CachedEndpoint[] = [];
    for (const c of candidates) {
      if (c.disabled) continue;
      if (occurredMs < c.createdAtMs) continue;
      const r = c.record;
      if (r.connectionIds.length && (!e.connectionId || !r.connectionIds.includes(e.connectionId))) continue;
      if (!matchesAny(r.events, e.type)) continue;
      if (disabledId === r._id) continue;
      out.push(c);
    }
    return out;
  }

  private async doLoad(startedAt: number, version: string): Promise<void> {
    const data = await this.repository.snapshot();
    const secrets = new Map<string, typeof data.secrets>();
    for (const s of data.secrets) {
      const list = secrets.get(s.endpointId) ?? [];
      list.push(s);
      secrets.set(s.endpointId, list);
    }
    const disables = new Map(data.disables.map((d) => [d._id, d]));
    const byId = new Map<string, CachedEndpoint>();
    const byAccount = new Map<string, CachedEndpoint[]>();
    for (const record of data.endpoints) {
      const active = signingSecrets(secrets.get(record._id) ?? [], startedAt).active;
      const cached: CachedEndpoint = {
        record,
        keys: active.map(secretKey),
        headers: Object.fromEntries(record.headers.map((h) => [h.name, h.value])),
        disabled: disables.get(record._id) ?? null,
        createdAtMs: record.createdAt.getTime(),
      };
      byId.set(record._id, cached);
      const list = byAccount.get(record.accountId) ?? [];
      list.push(cached);
      byAccount.set(record.accountId, list);
    }
    const previous = this.byId;
    if (startedAt < this.loadedStartedAt) return; // a newer load finished first
    this.byId = byId;
    this.byAccount = byAccount;
    this.loadedStartedAt = startedAt;
    this.fullLoadAt = startedAt;
    this.version = version;
    for (const [id, old] of previous) {
      const now = byId.get(id);
      if (!now) this.emit({ kind: 'removed', endpointId: id });
      else if (now.disabled && !old.disabled)
        this.emit({ kind: 'disabled', endpointId: id, record: now.disabled });
    }
  }

  private emit(change: DirectoryChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.logger.error({ err, change }, 'endpoint change listener failed');
      }
    }
  }
}
