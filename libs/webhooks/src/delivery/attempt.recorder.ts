import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { WebhookStatsRecorder } from '../stats';
import { WebhookAttemptRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

const FLUSH_EVERY_MS = 50;
const MAX_BATCH = 1000;

/**
 * Writes attempt records in batches (one insertMany every 50 ms at most): the attempt log is
 * insert-only, and batching keeps it cheap at thousands of deliveries per second. A record not
 * yet written when the process dies only means the attempt is made again by the next owner.
 * What was stored is then counted into the endpoints' stats (WebhookStatsRecorder).
 */
@Injectable()
export class AttemptRecorder implements BeforeApplicationShutdown {
  private buffer: WebhookAttemptRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private readonly logger: Logger;

  constructor(
    private readonly repository: WebhookDeliveryRepository,
    private readonly stats: WebhookStatsRecorder,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'AttemptRecorder' });
  }

  add(record: WebhookAttemptRecord): void {
    this.buffer.push(record);
    if (this.buffer.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
  }

  /** Writes everything buffered (waits for a flush in progress first). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, MAX_BATCH);
    this.flushing = this.write(batch).finally(() => (this.flushing = undefined));
    await this.flushing;
    if (this.buffer.length) this.timer ??= setTimeout(() => void this.flush(), this.failures ? 1000 : 0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(batch: WebhookAttemptRecord[]): Promise<void> {
    try {
      const { duplicates } = await this.repository.insertAttempts(batch);
      this.failures = 0;
      // The endpoint's hour counters (GET .../stats) count each stored attempt once.
      await this.stats.record(duplicates.size ? batch.filter((_, i) => !duplicates.has(i)) : batch);
    } catch (err) {
      this.failures++;
      this.logger.warn(
        { err, records: batch.length, failures: this.failures },
        'could not write attempt records; retrying',
      );
      this.buffer.unshift(...batch);
      await this.clock.sleep(Math.min(5000, 100 * 2 ** this.failures)).catch(() => undefined);
    }
  }
}
