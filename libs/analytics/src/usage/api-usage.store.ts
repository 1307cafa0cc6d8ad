import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Logger } from 'pino';
import { principalOf } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { HTTP_REQUEST_ANSWERED, HttpRequestAnswered } from '@wwb/http';
import { dayTableOf, floorDay, hourFieldOf } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock, IdGenerator } from '@wwb/runtime';
import { ApiUsageRepository, UsageIncrement } from './api-usage.repository';
import { API_USAGE_PREFIX, SEND_MESSAGE_ROUTE, usageIdOf } from './api-usage.schema';

/** The SchedulerRegistry name of the flush timer. */
export const API_USAGE_FLUSH_TIMER = 'analytics.api-usage.flush';

/**
 * This process's API usage counts per key and hour, kept in memory and written every
 * usageFlushMs (and before shutdown). Counting costs a map update on the request path; the
 * store sees one bulk per flush, whatever the traffic. Counts that could not be written are kept
 * and added to the next write, so the store being away delays the figures without losing them;
 * a process killed meanwhile loses at most one interval.
 */
@Injectable()
export class ApiUsageStore implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** This process run's id: part of every document id, so each document has one writer. */
  readonly processId: string;
  private pending = new Map<string, UsageIncrement>();
  private writing?: Promise<void>;
  private readonly logger: Logger;

  constructor(
    private readonly repository: ApiUsageRepository,
    private readonly clock: Clock,
    ids: IdGenerator,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    appLogger: AppLogger,
  ) {
    this.processId = ids.ulid(clock.nowMs());
    this.logger = appLogger.child({ context: 'ApiUsageStore' });
  }

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.flush(), this.config.analytics.usageFlushMs);
    // The timer alone must not keep a process alive that is otherwise done.
    timer.unref();
    this.scheduler.addInterval(API_USAGE_FLUSH_TIMER, timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', API_USAGE_FLUSH_TIMER))
      this.scheduler.deleteInterval(API_USAGE_FLUSH_TIMER);
    await this.flush();
  }

  /** Counts an answered request of an account API key (admin and unauthenticated ones are not). */
  @OnEvent(HTTP_REQUEST_ANSWERED)
  count(answered: HttpRequestAnswered): void {
    const principal = principalOf(answered.req);
    if (!principal) return;
    const atMs = this.clock.nowMs();
    const hour = hourFieldOf(atMs);
    const inc: Record<string, number> = { [`${hour}.requests`]: 1 };
    if (answered.status >= 400) inc[`${hour}.errors`] = 1;
    if (answered.method === 'POST' && answered.route === SEND_MESSAGE_ROUTE && answered.status === 202)
      inc[`${hour}.messages`] = 1;
    this.merge({
      dayMs: floorDay(atMs),
      id: usageIdOf(principal.apiKeyId, this.processId),
      accountId: principal.accountId,
      apiKeyId: principal.apiKeyId,
      inc,
    });
  }

  /** Writes the pending counts, after a write in progress. Never throws: what failed is kept. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.writing = this.write(batch).finally(() => (this.writing = undefined));
    await this.writing;
  }

  /** Documents (day and key) with counts not written yet. */
  get pendingDocuments(): number {
    return this.pending.size;
  }

  private merge(i: UsageIncrement): void {
    const key = `${dayTableOf(API_USAGE_PREFIX, i.dayMs)}:${i.id}`;
    const into = this.pending.get(key);
    if (!into) {
      this.pending.set(key, { ...i, inc: { ...i.inc } });
      return;
    }
    for (const [path, n] of Object.entries(i.inc)) into.inc[path] = (into.inc[path] ?? 0) + n;
  }

  private async write(batch: UsageIncrement[]): Promise<void> {
    let failed: Set<number>;
    let error: unknown;
    try {
      failed = await this.repository.add(batch);
    } catch (err) {
      error = err;
      failed = new Set(batch.keys());
    }
    if (failed.size > 0)
      this.logger.warn(
        { err: error, documents: failed.size },
        'could not write API usage; kept for the next write',
      );
    for (const i of failed) this.merge(batch[i]!);
  }
}
