import { Injectable } from '@nestjs/common';
import { Principal } from '@wwb/accounts';
import { CampaignDefinitionsService } from '@wwb/campaigns';
import { ConnectionsService } from '@wwb/connections';
import { Clock, DomainError } from '@wwb/runtime';
import { ApiUsageService } from '../usage';
import { CounterScope } from '../counters/analytics-counters.schema';
import { AnalyticsRange, analyticsRangeOf, localDateOf, RangeInput } from './analytics-range.policy';
import { AnalyticsSeries, AnalyticsQueryService } from './analytics-query.service';

export interface ScopedSeries extends AnalyticsSeries {
  scope: CounterScope;
  id: string;
  range: AnalyticsRange;
}

export interface UsageFigures {
  requests: number;
  messages: number;
  errors: number;
}

export interface KeyUsage {
  apiKeyId: string;
  totals: UsageFigures;
  days: (UsageFigures & { date: string })[];
}

/** Account-wide figures are not for a key restricted to some connections. */
const accountWideForbidden = (): DomainError =>
  new DomainError(
    'forbidden',
    'forbidden_scope',
    'This API key is restricted to some connections and cannot read account-wide figures',
  );

/**
 * GET /v1/analytics: checks that the caller may see what it asks for (another account's
 * connection or campaign, or one a restricted key does not reach, is 404) and reads its figures.
 */
@Injectable()
export class AnalyticsReportService {
  constructor(
    private readonly query: AnalyticsQueryService,
    private readonly usage: ApiUsageService,
    private readonly connections: ConnectionsService,
    private readonly campaigns: CampaignDefinitionsService,
    private readonly clock: Clock,
  ) {}

  range(input: RangeInput): AnalyticsRange {
    return analyticsRangeOf(input, this.clock.nowMs());
  }

  async account(p: Principal, input: RangeInput): Promise<ScopedSeries> {
    if (p.restricted) throw accountWideForbidden();
    return this.read(p, 'account', p.accountId, this.range(input));
  }

  async connection(p: Principal, id: string, input: RangeInput): Promise<ScopedSeries> {
    const range = this.range(input);
    await this.connections.getForPrincipal(p, id);
    return this.read(p, 'connection', id, range);
  }

  async campaign(p: Principal, id: string, input: RangeInput): Promise<ScopedSeries> {
    const range = this.range(input);
    await this.campaigns.record(p.scope, id, p.restricted ? p.connectionIds : undefined);
    return this.read(p, 'campaign', id, range);
  }

  /** A run's figures (run ids are `<campaignId>_<occurrence>`; one of another campaign is 404). */
  async run(p: Principal, campaignId: string, runId: string, input: RangeInput): Promise<ScopedSeries> {
    const range = this.range(input);
    await this.campaigns.record(p.scope, campaignId, p.restricted ? p.connectionIds : undefined);
    if (!runId.startsWith(`${campaignId}_`) || runId.length > 120) throw DomainError.notFound('Run');
    return this.read(p, 'run', runId, range);
  }

  async apiKeys(p: Principal, input: RangeInput): Promise<{ range: AnalyticsRange; keys: KeyUsage[] }> {
    if (p.restricted) throw accountWideForbidden();
    const range = this.range(input);
    const byKey = await this.usage.usageByKey(p.accountId, range.startMs, range.endMs);
    const keys: KeyUsage[] = [];
    for (const [apiKeyId, hours] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
      const byDate = new Map(range.dates.map((date) => [date, { requests: 0, messages: 0, errors: 0 }]));
      const totals = { requests: 0, messages: 0, errors: 0 };
      for (const h of hours) {
        const day = byDate.get(localDateOf(h.startMs, range.timeZone));
        if (!day) continue;
        for (const f of ['requests', 'messages', 'errors'] as const) {
          day[f] += h[f];
          totals[f] += h[f];
        }
      }
      keys.push({ apiKeyId, totals, days: range.dates.map((date) => ({ date, ...byDate.get(date)! })) });
    }
    return { range, keys };
  }

  private async read(
    p: Principal,
    scope: CounterScope,
    id: string,
    range: AnalyticsRange,
  ): Promise<ScopedSeries> {
    return { scope, id, range, ...(await this.query.series(p.accountId, scope, id, range)) };
  }
}
