import { Injectable } from '@nestjs/common';
import { daysBetween, hourFieldsOf } from '@wwb/infrastructure';
import { DomainError } from '@wwb/runtime';
import { ApiUsageRepository } from './api-usage.repository';
import { UsageCounters } from './api-usage.schema';

/** One hour of one API key's usage, all processes added together. */
export interface HourUsage {
  /** The UTC start of the hour (ms). */
  startMs: number;
  requests: number;
  messages: number;
  errors: number;
}

/** Day tables read at once (FerretDB overlaps a few; the pool is shared with the hot path). */
const DAYS_AT_ONCE = 4;

/** Reads API usage per key (ApiUsageRecord): one small read per UTC day of the range. */
@Injectable()
export class ApiUsageService {
  constructor(private readonly repository: ApiUsageRepository) {}

  /**
   * The hours of `[fromMs, toMs)` (by their start) with usage, per API key of the account, each
   * key's hours ascending; keys without usage in the range are absent. The caller bounds the
   * range: it costs one read per UTC day.
   */
  async usageByKey(accountId: string, fromMs: number, toMs: number): Promise<Map<string, HourUsage[]>> {
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs)
      throw DomainError.invalid(
        'invalid_usage_range',
        'The usage range needs a finite `from` that is not after `to`',
      );
    if (fromMs === toMs) return new Map();
    const byKey = new Map<string, Map<number, HourUsage>>();
    // `toMs` is excluded: a range ending at midnight does not read the next day.
    const days = daysBetween(fromMs, toMs - 1);
    for (let i = 0; i < days.length; i += DAYS_AT_ONCE) {
      const chunk = days.slice(i, i + DAYS_AT_ONCE);
      const docs = await Promise.all(chunk.map((day) => this.repository.ofAccountDay(accountId, day)));
      chunk.forEach((day, k) => {
        for (const doc of docs[k]!) {
          for (const { startMs, counters } of hourFieldsOf<UsageCounters>(doc, day)) {
            if (startMs < fromMs || startMs >= toMs) continue;
            addHour(byKey, doc.apiKeyId, startMs, counters);
          }
        }
      });
    }
    const out = new Map<string, HourUsage[]>();
    for (const apiKeyId of [...byKey.keys()].sort()) {
      out.set(
        apiKeyId,
        [...byKey.get(apiKeyId)!.values()].sort((a, b) => a.startMs - b.startMs),
      );
    }
    return out;
  }
}

function addHour(
  byKey: Map<string, Map<number, HourUsage>>,
  apiKeyId: string,
  startMs: number,
  counters: UsageCounters,
): void {
  let hours = byKey.get(apiKeyId);
  if (!hours) byKey.set(apiKeyId, (hours = new Map()));
  let hour = hours.get(startMs);
  if (!hour) hours.set(startMs, (hour = { startMs, requests: 0, messages: 0, errors: 0 }));
  hour.requests += counters.requests ?? 0;
  hour.messages += counters.messages ?? 0;
  hour.errors += counters.errors ?? 0;
}
