import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { AnalyticsQueryDto, AnalyticsReportDto, ApiUsageReportDto } from './analytics.dto';
import { csvCell, metricsCsv, ratesOf } from './analytics-metrics.mapper';
import { AnalyticsReportService, ScopedSeries } from './analytics-report.service';

const RANGE_ERRORS =
  '400 invalid_date, invalid_range (from after to), range_too_long (more than 366 days), invalid_time_zone.';
const FORMATS =
  'Figures are counted from the events as they happen (seconds behind); `format=csv` gives one row per day.';

function reportOf(s: ScopedSeries): AnalyticsReportDto {
  return {
    scope: s.scope,
    id: s.id,
    from: s.range.from,
    to: s.range.to,
    timeZone: s.range.timeZone,
    totals: { ...s.totals, rates: ratesOf(s.totals) },
    days: s.days.map((d) => ({ date: d.date, ...d.metrics })),
  };
}

/** The 200 answer: the DTO as JSON, or CSV text (format=csv). */
const okJsonOrCsv = (dto: new () => object) =>
  ApiOkResponse({
    description: 'The figures (JSON), or one row per day as CSV with format=csv',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(dto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  });

/** JSON by default; with format=csv the daily rows as a text/csv attachment. */
function answer(res: Response, query: AnalyticsQueryDto, s: ScopedSeries): AnalyticsReportDto | string {
  if (query.format !== 'csv') return reportOf(s);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="analytics-${s.scope}-${s.range.from}-${s.range.to}.csv"`,
  );
  return metricsCsv(s.days);
}

/** Daily figures of the account, a connection, a campaign, a run; API usage per key. */
@ApiTags('analytics')
@ApiExtraModels(AnalyticsReportDto, ApiUsageReportDto)
@ApiKeyAuth()
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly reports: AnalyticsReportService) {}

  @Get('account')
  @ApiOperation({
    summary:
      "The account's daily figures: messages sent, delivered, read, failed, received; campaign results",
    description: `${RANGE_ERRORS} 403 forbidden_scope for a key restricted to some connections. ${FORMATS}`,
  })
  @okJsonOrCsv(AnalyticsReportDto)
  @ApiErrorResponses(400, 403)
  async account(
    @CurrentPrincipal() p: Principal,
    @Query() query: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnalyticsReportDto | string> {
    return answer(res, query, await this.reports.account(p, query));
  }

  @Get('connections/:id')
  @ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' })
  @ApiOperation({
    summary: "A connection's daily figures",
    description: `${RANGE_ERRORS} 404 not_found. ${FORMATS}`,
  })
  @okJsonOrCsv(AnalyticsReportDto)
  @ApiErrorResponses(400, 404)
  async connection(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() query: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnalyticsReportDto | string> {
    return answer(res, query, await this.reports.connection(p, id, query));
  }

  @Get('campaigns/:id')
  @ApiParam({ name: 'id', example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiOperation({
    summary:
      "A campaign's daily figures over all its runs: targeted, skipped by reason, sent, delivered, read, replied, opted out",
    description: `${RANGE_ERRORS} 404 not_found. ${FORMATS}`,
  })
  @okJsonOrCsv(AnalyticsReportDto)
  @ApiErrorResponses(400, 404)
  async campaign(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() query: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnalyticsReportDto | string> {
    return answer(res, query, await this.reports.campaign(p, id, query));
  }

  @Get('campaigns/:id/runs/:runId')
  @ApiParam({ name: 'id', example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiParam({ name: 'runId', example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8_20261207T0900' })
  @ApiOperation({
    summary: "A campaign run's daily figures (a run's statuses and replies keep coming for days)",
    description: `${RANGE_ERRORS} 404 not_found. ${FORMATS}`,
  })
  @okJsonOrCsv(AnalyticsReportDto)
  @ApiErrorResponses(400, 404)
  async run(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('runId') runId: string,
    @Query() query: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnalyticsReportDto | string> {
    return answer(res, query, await this.reports.run(p, id, runId, query));
  }

  @Get('api-keys')
  @ApiOperation({
    summary: 'API usage per key and day: requests, messages accepted, error answers',
    description: `${RANGE_ERRORS} 403 forbidden_scope for a key restricted to some connections. Each API process writes its counts every API_USAGE_FLUSH_MS. \`format=csv\`: one row per key and day.`,
  })
  @okJsonOrCsv(ApiUsageReportDto)
  @ApiErrorResponses(400, 403)
  async apiKeys(
    @CurrentPrincipal() p: Principal,
    @Query() query: AnalyticsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ApiUsageReportDto | string> {
    const { range, keys } = await this.reports.apiKeys(p, query);
    if (query.format !== 'csv') {
      return { from: range.from, to: range.to, timeZone: range.timeZone, keys };
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="api-usage-${range.from}-${range.to}.csv"`);
    const rows = [['date', 'api_key_id', 'requests', 'messages', 'errors']];
    for (const k of keys) {
      for (const d of k.days)
        rows.push([d.date, k.apiKeyId, String(d.requests), String(d.messages), String(d.errors)]);
    }
    return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}
