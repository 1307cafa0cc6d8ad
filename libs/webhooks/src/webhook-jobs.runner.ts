import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { EventLogRepository } from '@wwb/event-log';
import { AppLogger } from '@wwb/observability';
import { Clock, IdGenerator } from '@wwb/runtime';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { deliveryIdOf, orderKeyOf, partitionOfKey, webhookIdOf } from './delivery-ids';
import { RECOVERY_HORIZON_MS } from './delivery-state';
import { CachedEndpoint, EndpointDirectory } from './endpoint.directory';
import { matchesAny } from './event-pattern';
import { PartitionLeases } from './partition.leases';
import { WebhookDeliveryRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookJobRecord } from './webhook-job.schema';
import { WebhookJobRepository } from './webhook-job.repository';

const PAGE = 1000;
const HOUSEKEEPING_EVERY_MS = 3_600_000;

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
 * Polls the requests of the API (redeliveries, replays) and does, for each partition this
 * worker sends, its part: a redelivery's delivery is already stored (it is handed to the
 * dispatcher); a replay reads the account's events of the window from the event log and stores
 * one new delivery per event the endpoint matches now (re-using the original body, so the same
 * bytes and sequence, when there was one). A (request, partition) marked done is not redone; one
 * interrupted before that is redone without duplicates (delivery ids are deterministic).
 * The holder of partition 0 also purges deliveries past WEBHOOK_RETENTION_DAYS, hourly.
 */
@Injectable()
export class WebhookJobsRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;
  private lastHousekeeping = 0;
  private readonly logger: Logger;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: WebhookJobRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly eventLog: EventLogRepository,
    private readonly directory: EndpointDirectory,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly leases: PartitionLeases,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'WebhookJobsRunner' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.ready();
    this.timer = setInterval(() => void this.tick(), this.config.webhooks.jobPollMs);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const active = new Set(this.dispatcher.activePartitions());
      if (active.size > 0) await this.runJobs(active);
      if (active.has(0) && this.clock.nowMs() - this.lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
        this.lastHousekeeping = this.clock.nowMs();
        await this.housekeeping();
      }
    } catch (err) {
      this.logger.warn({ err }, 'webhook jobs poll failed');
    } finally {
      this.running = false;
    }
  }

  private async runJobs(active: Set<number>): Promise<void> {
    const now = this.clock.nowMs();
    const jobs = await this.jobs.recent(new Date(now - RECOVERY_HORIZON_MS));
    if (jobs.length === 0) return;
    const done = new Set((await this.jobs.progressOf(jobs.map((j) => j._id))).map((p) => p._id));
    for (const job of jobs) {
      for (const partition of job.partitions ?? [...active]) {
        if (!active.has(partition) || done.has(`${job._id}:${partition}`) || this.stopped) continue;
        const count =
          job.kind === 'redeliver' ? await this.redeliver(job) : await this.replay(job, partition);
        if (!this.leases.holds(partition)) continue; // lost meanwhile: the next owner redoes it
        await this.jobs.markDone(job._id, partition, count, this.clock.now());
      }
    }
  }

  private async redeliver(job: WebhookJobRecord): Promise<number> {
    if (!job.deliveryId) return 0;
    const records = await this.deliveries.deliveriesByIds([job.deliveryId]);
    this.dispatcher.accept(records);
    return records.length;
  }

  private async replay(job: WebhookJobRecord, partition: number): Promise<number> {
    const endpoint = this.directory.get(job.endpointId);
    if (!endpoint || endpoint.disabled || !job.since || !job.until) return 0;
    const partitions = this.config.kafka.topics.events.partitions;
    const originals = new Map<string, WebhookDeliveryRecord>();
    for (const o of await this.deliveries.originalsInWindow(job.endpointId, job.since, job.until)) {
      originals.set(o.eventId, o);
    }
    const untilMs = job.until.getTime();
    let after = ulidFloor(job.since.getTime());
    let created = 0;
    for (;;) {
      const page = await this.eventLog.list({ accountId: job.accountId }, { after, limit: PAGE });
      const batch: WebhookDeliveryRecord[] = [];
      let past = false;
      for (const e of page.events) {
        const occurred = Date.parse(e.occurredAt);
        if (occurred > untilMs) {
          past = true;
          break;
        }
        if (occurred < job.since.getTime() || !replayMatches(endpoint, e)) continue;
        const orderKey = orderKeyOf(e);
        const original = originals.get(e.id);
        const p = original?.partition ?? partitionOfKey(orderKey, partitions);
        if (p !== partition) continue;
        const record: WebhookDeliveryRecord = {
          _id: deliveryIdOf(e.id, job.endpointId, job._id),
          accountId: e.accountId,
          endpointId: job.endpointId,
          eventId: e.id,
          eventType: e.type,
          webhookId: webhookIdOf(e.id, job.endpointId),
          partition: p,
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
        created += batch.length;
      }
      if (past || !page.nextAfter) break;
      after = page.nextAfter;
    }
    this.logger.info({ jobId: job._id, partition, created }, 'replay part done');
    return created;
  }

  private async housekeeping(): Promise<void> {
    const now = this.clock.nowMs();
    const withDeliveries = await this.deliveries.endpointIdsWithDeliveries();
    await this.directory.load();
    const deleted = withDeliveries.filter((id) => !this.directory.get(id));
    const purged = await this.deliveries.purge(
      new Date(now - this.config.webhooks.retentionDays * 86_400_000),
      deleted,
    );
    await this.jobs.purge(new Date(now - RECOVERY_HORIZON_MS));
    if (purged)
      this.logger.info({ purged, deletedEndpoints: deleted.length }, 'old webhook deliveries purged');
  }
}

/** A replay sends what the endpoint's filters match now (tests excluded), whenever it occurred. */
function replayMatches(endpoint: CachedEndpoint, e: EventEnvelope): boolean {
  const r = endpoint.record;
  if (e.type === 'webhook.test') return false;
  if (r.connectionIds.length && (!e.connectionId || !r.connectionIds.includes(e.connectionId))) return false;
  return matchesAny(r.events, e.type);
}
