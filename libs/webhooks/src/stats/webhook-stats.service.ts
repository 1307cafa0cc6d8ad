import { Injectable } from '@nestjs/common';
import { Clock } from '@wwb/runtime';
import { WebhookStatsDto } from '../webhook.dto';
import { addHistogram, DelayHistogram, histogramPercentile } from './stats-histogram';
import { DAY_MS, floorDay, floorHour } from '@wwb/infrastructure';
import { hoursOf } from './webhook-stats.schema';
import { WebhookStatsRepository } from './webhook-stats.repository';

const HOUR_MS = 3_600_000;
/** Day reads in flight at once (FerretDB overlaps a few; the pool is shared with the hot path). */
const DAYS_AT_ONCE = 4;

/**
 * `GET /v1/webhooks/:id/stats`: adds up the endpoint's hour counters of the window. The window
 * starts at the top of the hour `hours` ago (so it covers at least `hours` hours, at most one
 * more) and ends now. Cost, whatever the traffic: one `_id` range read per UTC day of the window
 * (31 for 720 hours), each giving at most one small document per partition.
 */
@Injectable()
export class WebhookStatsService {
  constructor(
    private readonly repository: WebhookStatsRepository,
    private readonly clock: Clock,
  ) {}

  async forEndpoint(endpointId: string, hours: number): Promise<WebhookStatsDto> {
    const nowMs = this.clock.nowMs();
    const sinceMs = floorHour(nowMs - hours * HOUR_MS);
    let attempts = 0;
    let succeeded = 0;
    let firstAttempts = 0;
    const delays: DelayHistogram = {};
    const days: number[] = [];
    for (let day = floorDay(sinceMs); day <= nowMs; day += DAY_MS) days.push(day);
    for (let i = 0; i < days.length; i += DAYS_AT_ONCE) {
      const chunk = days.slice(i, i + DAYS_AT_ONCE);
      const docs = await Promise.all(chunk.map((day) => this.repository.ofEndpointDay(endpointId, day)));
      chunk.forEach((day, k) => {
        for (const doc of docs[k]!) {
          for (const { startMs, counters } of hoursOf(doc, day)) {
            if (startMs < sinceMs) continue;
            attempts += counters.n ?? 0;
            succeeded += counters.ok ?? 0;
            firstAttempts += counters.f ?? 0;
            addHistogram(delays, counters.d);
          }
        }
      });
    }
    return {
      since: new Date(sinceMs).toISOString(),
      attempts,
      succeededAttempts: succeeded,
      successRate: attempts ? succeeded / attempts : null,
      firstAttempts,
      firstAttemptP50Ms: histogramPercentile(delays, 0.5),
      firstAttemptP99Ms: histogramPercentile(delays, 0.99),
    };
  }
}
