import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { AppLogger } from '@wwb/observability';
import { WebhookAttemptRecord } from '../delivery/webhook-delivery.schema';
import { delayBucketOf } from './stats-histogram';
import { hourFieldOf } from '@wwb/infrastructure';
import { statsCollectionOf, statsIdOf } from './webhook-stats.schema';
import { StatsIncrement, WebhookStatsRepository } from './webhook-stats.repository';

/**
 * Counts stored attempts into the endpoints' hour counters (WebhookStatsRecord). The
 * AttemptRecorder hands over each batch it wrote, without the duplicates (an attempt stored
 * twice counts once). A batch becomes one `$inc` per (day, endpoint, partition) touched; counts
 * that could not be written are kept and added to the next write, so the store being away
 * delays the figures but does not lose them (a process that dies meanwhile does).
 */
@Injectable()
export class WebhookStatsRecorder implements BeforeApplicationShutdown {
  private pending = new Map<string, StatsIncrement>();
  private writing?: Promise<void>;
  private readonly logger: Logger;

  constructor(
    private readonly repository: WebhookStatsRepository,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'WebhookStatsRecorder' });
  }

  /** Counts these newly stored attempts and writes what is pending. Never throws. */
  async record(attempts: readonly WebhookAttemptRecord[]): Promise<void> {
    for (const a of attempts) this.count(a);
    await this.flush();
  }

  /** Writes the pending counts (after a write in progress). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.writing = this.write(batch).finally(() => (this.writing = undefined));
    await this.writing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  get pendingDocuments(): number {
    return this.pending.size;
  }

  private count(a: WebhookAttemptRecord): void {
    if (a.outcome === 'cancelled') return;
    const atMs = new Date(a.at).getTime();
    const hour = hourFieldOf(atMs);
    const inc: Record<string, number> = { [`${hour}.n`]: 1 };
    if (a.outcome === 'delivered') inc[`${hour}.ok`] = 1;
    if (a.firstAttemptDelayMs !== undefined) {
      inc[`${hour}.f`] = 1;
      inc[`${hour}.d.${delayBucketOf(a.firstAttemptDelayMs)}`] = 1;
    }
    this.merge({
      dayMs: atMs,
      id: statsIdOf(a.endpointId, a.partition),
      accountId: a.accountId,
      endpointId: a.endpointId,
      partition: a.partition,
      inc,
    });
  }

  private merge(i: StatsIncrement): void {
    const key = `${statsCollectionOf(i.dayMs)}:${i.id}`;
    const into = this.pending.get(key);
    if (!into) {
      this.pending.set(key, { ...i, inc: { ...i.inc } });
      return;
    }
    for (const [path, n] of Object.entries(i.inc)) into.inc[path] = (into.inc[path] ?? 0) + n;
  }

  private async write(batch: StatsIncrement[]): Promise<void> {
    let failed: Set<number>;
    try {
      failed = await this.repository.add(batch);
    } catch (err) {
      this.logger.warn(
        { err, documents: batch.length },
        'could not write webhook stats; kept for the next write',
      );
      failed = new Set(batch.keys());
    }
    for (const i of failed) this.merge(batch[i]!);
  }
}
