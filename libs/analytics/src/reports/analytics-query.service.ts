import { Injectable } from '@nestjs/common';
import { daysBetween, hourFieldsOf } from '@wwb/infrastructure';
import { AnalyticsCountersRepository } from '../counters/analytics-counters.repository';
import { CounterScope, HourCounters } from '../counters/analytics-counters.schema';
import { AnalyticsRange, localDateOf } from './analytics-range.policy';
import { addHour, addMetrics, AnalyticsMetrics, emptyMetrics } from './analytics-metrics.mapper';

/** Day tables read at once (FerretDB overlaps a few; the pool is shared with the hot path). */
const DAYS_AT_ONCE = 4;

export interface AnalyticsSeries {
  totals: AnalyticsMetrics;
  days: { date: string; metrics: AnalyticsMetrics }[];
}

/**
 * Adds up the hour counters of a scope over a range of local days. Cost, whatever the traffic:
 * the list of day tables, then one `_id` range read per UTC day of the range that has a table,
 * each giving at most one small document per events partition. An hour counts for the local day its start falls in (in zones
 * with a half-hour offset, the hour across midnight goes to the day it starts in).
 */
@Injectable()
export class AnalyticsQueryService {
  constructor(private readonly counters: AnalyticsCountersRepository) {}

  async series(
    accountId: string,
    scope: CounterScope,
    scopeId: string,
    range: AnalyticsRange,
  ): Promise<AnalyticsSeries> {
    const byDate = new Map(range.dates.map((date) => [date, emptyMetrics()]));
    const existing = await this.counters.existingDays();
    const days = daysBetween(range.startMs, range.endMs - 1).filter((d) => existing.has(d));
    for (let i = 0; i < days.length; i += DAYS_AT_ONCE) {
      const slice = days.slice(i, i + DAYS_AT_ONCE);
      const docs = await Promise.all(slice.map((day) => this.counters.ofScopeDay(scope, scopeId, day)));
      slice.forEach((day, k) => {
        for (const doc of docs[k]!) {
          if (doc.accountId !== accountId) continue; // ids are unique, but never show another account's figures
          for (const { startMs, counters } of hourFieldsOf<HourCounters>(doc, day)) {
            if (startMs < range.startMs || startMs >= range.endMs) continue;
            const metrics = byDate.get(localDateOf(startMs, range.timeZone));
            if (metrics) addHour(metrics, counters);
          }
        }
      });
    }
    const totals = emptyMetrics();
    for (const m of byDate.values()) addMetrics(totals, m);
    return { totals, days: range.dates.map((date) => ({ date, metrics: byDate.get(date)! })) };
  }
}
