import { Injectable } from '@nestjs/common';
import { InsertOutcome } from '@wwb/infrastructure';
import { WebhookDeliveryRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

interface Waiter {
  records: WebhookDeliveryRecord[];
  resolve: (outcome: InsertOutcome) => void;
  reject: (err: unknown) => void;
}

const MAX_GROUP = 5000;
/** Records queued beyond this make room() wait: the fan-out stops taking events until writes catch up. */
const MAX_QUEUED = 20_000;

/**
 * Group commit of delivery records: the fan-out handlers of all partitions hand their records
 * here; one insertMany runs at a time and takes everything that queued up meanwhile, so that the
 * store sees a few large writes instead of many small concurrent ones (FerretDB runs writes one
 * after the other). Each caller learns which of its own records were duplicates.
 */
@Injectable()
export class DeliveryWriter {
  private queue: Waiter[] = [];
  private writing = false;
  private queued = 0;
  private roomWaiters: (() => void)[] = [];

  constructor(private readonly repository: WebhookDeliveryRepository) {}

  write(records: WebhookDeliveryRecord[]): Promise<InsertOutcome> {
    if (records.length === 0) return Promise.resolve({ duplicates: new Set() });
    this.queued += records.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Resolves when fewer than MAX_QUEUED records wait to be written (backpressure for the fan-out). */
  room(): Promise<void> {
    if (this.queued < MAX_QUEUED) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private written(count: number): void {
    this.queued -= count;
    if (this.queued < MAX_QUEUED && this.roomWaiters.length > 0) {
      const waiters = this.roomWaiters;
      this.roomWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group: Waiter[] = [];
        let size = 0;
        while (
          this.queue.length > 0 &&
          (group.length === 0 || size + this.queue[0]!.records.length <= MAX_GROUP)
        ) {
          const w = this.queue.shift()!;
          group.push(w);
          size += w.records.length;
        }
        const all = group.flatMap((w) => w.records);
        this.written(all.length);
        try {
          const { duplicates } = await this.repository.insertDeliveries(all);
          let offset = 0;
          for (const w of group) {
            const own = new Set<number>();
            for (let i = 0; i < w.records.length; i++) if (duplicates.has(offset + i)) own.add(i);
            offset += w.records.length;
            w.resolve({ duplicates: own });
          }
        } catch (err) {
          for (const w of group) w.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
