import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { Principal } from '@wwb/accounts';
import { AppError } from '@wwb/http';
import { Clock, IdGenerator } from '@wwb/runtime';
import { DELIVERY_ID_PATTERN, deliveryIdOf, JOB_ID_PATTERN } from './delivery/delivery-ids';
import {
  DeliveryProgress,
  progressByDelivery,
  RECOVERY_HORIZON_MS,
  statusOf,
} from './delivery/delivery-state';
import { WebhookStatsService } from './stats';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';
import { WebhookDeliveryRecord } from './delivery/webhook-delivery.schema';
import { DeliveryHead, WebhookDeliveryRepository } from './delivery/webhook-delivery.repository';
import { WebhookJobRepository } from './jobs/webhook-job.repository';
import { WebhookJobQuotaService } from './jobs/webhook-job-quota.service';
import {
  AttemptDto,
  DeliveryDetailDto,
  DeliveryDto,
  DeliveryPageDto,
  DeliveryStatus,
  RedeliveryDto,
  ReplayJobDto,
  WebhookStatsDto,
} from './webhook.dto';

const deliveryNotFound = (): AppError => AppError.notFound('Delivery');
const SCAN_PAGE = 200;
const MAX_SCANNED = 2000;

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** The delivery log of an endpoint, redelivery, replay and delivery figures. */
@Injectable()
export class WebhookDeliveriesService {
  private readonly partitions: number;

  constructor(
    config: AppConfig,
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly jobs: WebhookJobRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly jobQuota: WebhookJobQuotaService,
    private readonly counters: WebhookStatsService,
  ) {
    this.partitions = config.kafka.topics.events.partitions;
  }

  /** Newest first; `status` is computed from the attempts, so a page may scan further. */
  async list(
    principal: Principal,
    endpointId: string,
    q: { cursor?: string; limit?: number; status?: DeliveryStatus; eventType?: string },
  ): Promise<DeliveryPageDto> {
    await this.endpoints.getRecord(principal, endpointId);
    const limit = q.limit ?? 20;
    let beforeId: string | undefined;
    if (q.cursor !== undefined) {
      beforeId = Buffer.from(q.cursor, 'base64url').toString('utf8');
      if (!DELIVERY_ID_PATTERN.test(beforeId)) {
        throw new AppError(400, 'validation_failed', 'Request validation failed', [
          { field: 'cursor', messages: ['cursor is not a valid cursor'] },
        ]);
      }
    }
    const data: DeliveryDto[] = [];
    let scanned = 0;
    let lastId: string | undefined;
    for (;;) {
      const pageSize = q.status ? SCAN_PAGE : limit - data.length;
      const rows = await this.deliveries.pageForEndpoint(principal.scope, endpointId, {
        beforeId,
        limit: pageSize,
        eventType: q.eventType,
      });
      const progress = progressByDelivery(await this.deliveries.attemptsOf(rows.map((r) => r._id)));
      for (const row of rows) {
        lastId = row._id;
        const dto = toDeliveryDto(row, progress.get(row._id));
        if (!q.status || dto.status === q.status) data.push(dto);
        if (data.length === limit) return { data, nextCursor: encodeCursor(row._id) };
      }
      scanned += rows.length;
      if (rows.length < pageSize) return { data, nextCursor: null };
      beforeId = lastId;
      if (scanned >= MAX_SCANNED) return { data, nextCursor: lastId ? encodeCursor(lastId) : null };
    }
  }

  async get(principal: Principal, endpointId: string, deliveryId: string): Promise<DeliveryDetailDto> {
    await this.endpoints.getRecord(principal, endpointId);
    const record = await this.record(principal, endpointId, deliveryId);
    const attempts = await this.deliveries.attemptsOf([deliveryId]);
    const dto = toDeliveryDto(record, progressByDelivery(attempts).get(deliveryId));
    return {
      ...dto,
      body: record.body,
      attemptLog: attempts
        .sort((a, b) => a.n - b.n)
        .map((a) => {
          const out: AttemptDto = { n: a.n, at: a.at.toISOString(), outcome: a.outcome };
          if (a.statusCode !== undefined) out.statusCode = a.statusCode;
          if (a.latencyMs !== undefined) out.latencyMs = a.latencyMs;
          if (a.error !== undefined) out.error = a.error;
          if (a.responseBody !== undefined) out.responseBody = a.responseBody;
          if (a.nextAttemptAt) out.nextAttemptAt = a.nextAttemptAt.toISOString();
          return out;
        }),
    };
  }

  /** A new delivery of the same event (same webhook-id, same body), with a fresh retry schedule. */
  async redeliver(principal: Principal, endpointId: string, deliveryId: string): Promise<RedeliveryDto> {
    const endpoint = await this.endpoints.getRecord(principal, endpointId);
    const original = await this.record(principal, endpointId, deliveryId);
    const jobId = this.ids.prefixed('job');
    const now = this.clock.now();
    await this.jobQuota.acquire(principal.scope, 'redeliver', endpoint._id, jobId);
    const id = deliveryIdOf(original.eventId, endpoint._id, jobId);
    const copy: WebhookDeliveryRecord = {
      ...original,
      _id: id,
      order: this.ids.ulid(),
      createdAt: now,
      redeliveryOf: original._id,
      jobId,
    };
    await this.deliveries.insertDelivery(copy);
    await this.jobs.insert({
      _id: jobId,
      accountId: endpoint.accountId,
      endpointId: endpoint._id,
      kind: 'redeliver',
      deliveryId: id,
      partitions: [original.partition],
      createdAt: now,
    });
    return { deliveryId: id, redeliveryOf: original._id, jobId };
  }

  /** Re-sends every event of the window that the endpoint's filters match now. */
  async replay(
    principal: Principal,
    endpointId: string,
    body: { since: string; until?: string },
  ): Promise<ReplayJobDto> {
    const endpoint = await this.endpoints.getRecord(principal, endpointId);
    const now = this.clock.nowMs();
    const since = Date.parse(body.since);
    const until = body.until === undefined ? now : Date.parse(body.until);
    const problems: string[] = [];
    if (since >= until) problems.push('since must be before until');
    if (until > now + 60_000) problems.push('until must not be in the future');
    if (since < now - RECOVERY_HORIZON_MS * 4) problems.push('since must be within the last 28 days');
    if (problems.length) throw new AppError(400, 'invalid_replay_window', problems.join('; '));
    const jobId = this.ids.prefixed('job');
    await this.jobQuota.acquire(principal.scope, 'replay', endpoint._id, jobId);
    await this.jobs.insert({
      _id: jobId,
      accountId: endpoint.accountId,
      endpointId: endpoint._id,
      kind: 'replay',
      since: new Date(since),
      until: new Date(until),
      createdAt: new Date(now),
    });
    return this.replayStatus(principal, endpointId, jobId);
  }

  async replayStatus(principal: Principal, endpointId: string, jobId: string): Promise<ReplayJobDto> {
    await this.endpoints.getRecord(principal, endpointId);
    const job = JOB_ID_PATTERN.test(jobId) ? await this.jobs.get(principal.scope, endpointId, jobId) : null;
    if (!job || job.kind !== 'replay' || !job.since || !job.until) throw AppError.notFound('Replay');
    const progress = await this.jobs.progressOf([jobId]);
    return {
      jobId,
      since: job.since.toISOString(),
      until: job.until.toISOString(),
      partitionsDone: progress.length,
      partitions: this.partitions,
      deliveries: progress.reduce((n, p) => n + p.deliveries, 0),
      done: progress.length >= this.partitions,
    };
  }

  /**
   * Success rate of attempts and event-to-first-attempt percentiles over a window, from the
   * endpoint's hour counters (bounded work for any window; see WebhookStatsService).
   */
  async stats(principal: Principal, endpointId: string, hours = 24): Promise<WebhookStatsDto> {
    await this.endpoints.getRecord(principal, endpointId);
    return this.counters.forEndpoint(endpointId, hours);
  }

  private async record(
    principal: Principal,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryRecord> {
    if (!DELIVERY_ID_PATTERN.test(deliveryId)) throw deliveryNotFound();
    const record = await this.deliveries.getDelivery(principal.scope, endpointId, deliveryId);
    if (!record) throw deliveryNotFound();
    return record;
  }
}

function toDeliveryDto(r: DeliveryHead, progress: DeliveryProgress | undefined): DeliveryDto {
  const dto: DeliveryDto = {
    id: r._id,
    endpointId: r.endpointId,
    eventId: r.eventId,
    eventType: r.eventType,
    webhookId: r.webhookId,
    status: statusOf(progress),
    attempts: progress?.attempts ?? 0,
    occurredAt: r.occurredAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
  const last = progress?.last;
  if (last) {
    dto.lastAttemptAt = last.at.toISOString();
    if (last.statusCode !== undefined) dto.lastStatusCode = last.statusCode;
    if (last.nextAttemptAt && !progress.terminal) dto.nextAttemptAt = last.nextAttemptAt.toISOString();
  }
  if (r.chatId) dto.chatId = r.chatId;
  if (r.sequence !== undefined) dto.sequence = r.sequence;
  if (r.redeliveryOf) dto.redeliveryOf = r.redeliveryOf;
  return dto;
}
