import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { EventLogRepository } from '@wwb/event-log';
import { Clock, IdGenerator } from '@wwb/runtime';
import { DeliveryDispatcher } from '../delivery/delivery.dispatcher';
import { deliveryIdOf, orderKeyOf, partitionOfKey, webhookIdOf } from '../delivery/delivery-ids';
import { CachedEndpoint, EndpointDirectory } from '../endpoints/endpoint.directory';
import { matchesAny } from '../endpoints/event-pattern';
import { WebhookDeliveryRecord } from '../delivery/webhook-delivery.schema';
import { WebhookDeliveryRepository } from '../delivery/webhook-delivery.repository';
import { WebhookJobRecord } from './webhook-job.schema';
import { ReplayPosition } from './replay-cursor.repository';

/** Events read per step of a replay: what a replay holds in memory at most (with their originals). */
export const REPLAY_PAGE = 1000;

/** Lowest ULID of a millisecond: a cursor for "events from this time on". */
export function ulidFloor(ms: number): string {
  const chars = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '';
  let t = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    out = chars[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return `${out}0000000000000000`;
}

/**
 * One step of a replay: reads one page of the account's event log and stores one new delivery
 * per event of the window that the endpoint matches now, for the partitions given (re-using the
 * original delivery's body, so the same bytes and sequence, when there was one). Nothing is kept
 * between steps but the positions, so a 28-day window costs one page of memory.
 */
@Injectable()
export class WebhookReplayService {
  private readonly partitions: number;

  constructor(
    config: AppConfig,
    private readonly eventLog: EventLogRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly directory: EndpointDirectory,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {
    this.partitions = config.kafka.topics.events.partitions;
  }

  /** Where a partition starts. */
  start(job: WebhookJobRecord): ReplayPosition {
    return { after: ulidFloor(job.since?.getTime() ?? 0), deliveries: 0 };
  }

  /**
   * Reads the page after the least advanced of `positions` (one per partition of this worker)
   * and moves each position to its end (a position already further on skips what it has seen).
   * Returns true when the window is done for all of them.
   */
  async step(job: WebhookJobRecord, positions: Map<number, ReplayPosition>): Promise<boolean> {
    const endpoint = this.directory.get(job.endpointId);
    if (!endpoint || endpoint.disabled || !job.since || !job.until || positions.size === 0) return true;
    let from: string | undefined;
    for (const p of positions.values()) if (from === undefined || p.after < from) from = p.after;
    const page = await this.eventLog.list({ accountId: job.accountId }, { after: from, limit: REPLAY_PAGE });
    const sinceMs = job.since.getTime();
    const untilMs = job.until.getTime();
    const wanted: EventEnvelope[] = [];
    let past = false;
    for (const e of page.events) {
      const occurred = Date.parse(e.occurredAt);
      if (occurred > untilMs) {
        past = true;
        break;
      }
      if (occurred >= sinceMs && replayMatches(endpoint, e)) wanted.push(e);
    }
    const originals = await this.deliveries.originalsOf(
      job.endpointId,
      wanted.map((e) => e.id),
    );
    const batch: WebhookDeliveryRecord[] = [];
    for (const e of wanted) {
      const orderKey = orderKeyOf(e);
      const original = originals.get(e.id);
      const partition = original?.partition ?? partitionOfKey(orderKey, this.partitions);
      const position = positions.get(partition);
      if (!position || e.id <= position.after) continue;
      const record: WebhookDeliveryRecord = {
        _id: deliveryIdOf(e.id, job.endpointId, job._id),
        accountId: e.accountId,
        endpointId: job.endpointId,
        eventId: e.id,
        eventType: e.type,
        webhookId: webhookIdOf(e.id, job.endpointId),
        partition,
        order: this.ids.ulid(),
        orderKey,
        occurredAt: new Date(e.occurredAt),
        createdAt: this.clock.now(),
        body: original?.body ?? JSON.stringify(e),
        jobId: job._id,
      };
      const sequence = original?.sequence ?? e.sequence;
      if (sequence !== undefined) record.sequence = sequence;
      if (e.connectionId) record.connectionId = e.connectionId;
      if (e.chatId) record.chatId = e.chatId;
      batch.push(record);
    }
    if (batch.length) {
      const { duplicates } = await this.deliveries.insertDeliveries(batch);
      this.dispatcher.accept(batch, duplicates);
      for (const r of batch) positions.get(r.partition)!.deliveries += 1;
    }
    const last = page.events[page.events.length - 1]?.id;
    if (last !== undefined) for (const p of positions.values()) if (p.after < last) p.after = last;
    return past || !page.nextAfter;
  }
}

/** A replay sends what the endpoint's filters match now (tests excluded), whenever it occurred. */
function replayMatches(endpoint: CachedEndpoint, e: EventEnvelope): boolean {
  const r = endpoint.record;
  if (e.type === 'webhook.test') return false;
  if (r.connectionIds.length && (!e.connectionId || !r.connectionIds.includes(e.connectionId))) return false;
  return matchesAny(r.events, e.type);
}
