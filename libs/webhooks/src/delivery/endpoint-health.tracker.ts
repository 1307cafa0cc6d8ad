import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { EndpointDirectory } from '../endpoints/endpoint.directory';
import { WebhookEndpointRepository } from '../endpoints/webhook-endpoint.repository';
import { WebhookDisableRecord } from '../endpoints/webhook-endpoint.schema';
import { WebhookEventsProducer } from '../webhook-events.producer';

interface Local {
  accountId: string;
  lastSuccessAt?: number;
  firstFailureAt?: number;
  lastFailureAt?: number;
  lastStatusCode?: number;
  lastError?: string;
}

/**
 * Auto-disable: an endpoint that has had nothing but failures for WEBHOOK_AUTO_DISABLE_AFTER_MS
 * (5 days) since its last success (or since it was created or re-enabled) is disabled, with a
 * `webhook.endpoint.disabled` event. Each worker keeps what it saw and merges it into the
 * endpoint's health document periodically (last success: the latest any worker saw; failing
 * since: the first failure after it). 410 Gone disables at once (`disableNow`).
 */
@Injectable()
export class EndpointHealthTracker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly local = new Map<string, Local>();
  private readonly afterMs: number;
  private readonly flushEveryMs: number;
  private timer?: NodeJS.Timeout;
  private readonly logger: Logger;

  constructor(
    config: AppConfig,
    private readonly repository: WebhookEndpointRepository,
    private readonly directory: EndpointDirectory,
    private readonly events: WebhookEventsProducer,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.afterMs = config.webhooks.autoDisableAfterMs;
    this.flushEveryMs = Math.max(200, Math.min(10_000, Math.floor(this.afterMs / 5)));
    this.logger = appLogger.child({ context: 'EndpointHealthTracker' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.flushEveryMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  success(endpointId: string, accountId: string, atMs: number): void {
    const l = this.entry(endpointId, accountId);
    l.lastSuccessAt = atMs;
    l.firstFailureAt = undefined;
  }

  failure(endpointId: string, accountId: string, atMs: number, statusCode?: number, error?: string): void {
    const l = this.entry(endpointId, accountId);
    l.firstFailureAt ??= atMs;
    l.lastFailureAt = atMs;
    l.lastStatusCode = statusCode;
    l.lastError = error;
  }

  /** Disables at once (410 Gone). True if this call disabled it. */
  async disableNow(
    endpointId: string,
    accountId: string,
    reason: WebhookDisableRecord['reason'],
    detail: { lastStatusCode?: number; lastError?: string },
  ): Promise<boolean> {
    const record: WebhookDisableRecord = { _id: endpointId, accountId, reason, disabledAt: this.clock.now() };
    if (detail.lastStatusCode !== undefined) record.lastStatusCode = detail.lastStatusCode;
    if (detail.lastError !== undefined) record.lastError = detail.lastError.slice(0, 500);
    if (!(await this.repository.disable(record))) return false;
    this.logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
    const url = this.directory.get(endpointId)?.record.url ?? '';
    await this.events.disabled(url, record);
    this.local.delete(endpointId);
    await this.directory.load();
    return true;
  }

  private entry(endpointId: string, accountId: string): Local {
    let l = this.local.get(endpointId);
    if (!l) {
      l = { accountId };
      this.local.set(endpointId, l);
    }
    return l;
  }

  /** Merges what this worker saw into the health documents and applies the auto-disable rule. */
  async flush(): Promise<void> {
    const now = this.clock.nowMs();
    const entries = [...this.local.entries()];
    this.local.clear();
    for (const [endpointId, l] of entries) {
      try {
        const stored = await this.repository.healthOf(endpointId);
        const lastSuccess = Math.max(stored?.lastSuccessAt?.getTime() ?? 0, l.lastSuccessAt ?? 0);
        let failingSince = stored?.failingSince?.getTime();
        if (failingSince !== undefined && failingSince < lastSuccess) failingSince = undefined;
        if (l.firstFailureAt !== undefined && l.firstFailureAt > lastSuccess) {
          failingSince = Math.min(failingSince ?? l.firstFailureAt, l.firstFailureAt);
        }
        await this.repository.saveHealth({
          _id: endpointId,
          accountId: l.accountId,
          ...(lastSuccess ? { lastSuccessAt: new Date(lastSuccess) } : {}),
          ...(failingSince !== undefined ? { failingSince: new Date(failingSince) } : {}),
          updatedAt: new Date(now),
        });
        const endpoint = this.directory.get(endpointId);
        if (!endpoint || endpoint.disabled || failingSince === undefined || l.lastFailureAt === undefined)
          continue;
        const since = Math.max(failingSince, endpoint.record.enabledAt.getTime());
        if (now - since >= this.afterMs) {
          await this.disableNow(endpointId, l.accountId, 'failing', {
            lastStatusCode: l.lastStatusCode,
            lastError: l.lastError,
          });
        }
      } catch (err) {
        this.logger.warn({ err, endpointId }, 'could not update endpoint health');
      }
    }
  }
}
