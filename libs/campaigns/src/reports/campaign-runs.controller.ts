import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { CampaignDefinitionsService } from '../definitions';
import { reachOf } from '../definitions/campaign-input.policy';
import {
  CampaignDryRunDto,
  RunRecipientPageDto,
  RecipientsQueryDto,
  RunListDto,
  RunNowDto,
  RunReportDto,
  RunsQueryDto,
} from './run-report.dto';
import { RunLaunchService } from './run-launch.service';
import { RunProgressStream } from './run-progress.stream';
import { RecipientView, RunReport, RunReportService, RunSummary } from './run-report.service';

const ID = { name: 'id', example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };
const RUN = { name: 'runId', example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8_20261207T0900' };

/** A campaign's runs: run now, dry run, the runs, a run's report and its recipients. */
@ApiTags('campaigns')
@ApiKeyAuth()
@Controller('v1/campaigns/:id')
export class CampaignRunsController {
  constructor(
    private readonly campaigns: CampaignDefinitionsService,
    private readonly launch: RunLaunchService,
    private readonly reports: RunReportService,
    private readonly progressStream: RunProgressStream,
  ) {}

  @Post('run-now')
  @HttpCode(202)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Start a run now (besides the schedule); the worker plans it within seconds',
    description:
      '404 not_found; 409 campaign_cancelled, run_in_progress (another run of the campaign is under way: ' +
      'details.runId). A paused campaign plans the run and sends it once resumed.',
  })
  @ApiAcceptedResponse({ type: RunNowDto })
  @ApiErrorResponses(404, 409)
  async runNow(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<RunNowDto> {
    return this.launch.runNow(p.scope, await this.campaigns.record(p.scope, id, reachOf(p)));
  }

  @Post('dry-run')
  @HttpCode(200)
  @ApiParam(ID)
  @ApiOperation({
    summary:
      'What a run starting now would do: audience, skips with reasons, rendered messages; sends nothing',
    description: '404 not_found. Reads the whole audience (seconds for a large one).',
  })
  @ApiOkResponse({ type: CampaignDryRunDto })
  @ApiErrorResponses(404)
  async dryRun(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CampaignDryRunDto> {
    const result = await this.launch.dryRun(await this.campaigns.record(p.scope, id, reachOf(p)));
    return {
      targeted: result.targeted,
      pending: result.pending,
      skipped: result.skipped,
      connections: result.connections,
      samples: result.samples.map((r) => ({
        contactId: r.contactId,
        phone: r.phone,
        connectionId: r.connectionId,
        status: r.state,
        reason: r.reason ?? null,
        detail: r.detail ?? null,
        text: r.message?.text ?? r.message?.caption ?? null,
        dueAt: r.dueAt.toISOString(),
      })),
    };
  }

  @Get('runs')
  @ApiParam(ID)
  @ApiOperation({ summary: "The campaign's runs, latest occurrence first", description: '404 not_found.' })
  @ApiOkResponse({ type: RunListDto })
  @ApiErrorResponses(400, 404)
  async runs(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() query: RunsQueryDto,
  ): Promise<{ data: RunSummary[] }> {
    await this.campaigns.record(p.scope, id, reachOf(p));
    return { data: await this.reports.list(p.scope, id, query.limit ?? 20) };
  }

  @Get('runs/:runId')
  @ApiParam(ID)
  @ApiParam(RUN)
  @ApiOperation({
    summary: "A run's report: its recipients by status (they add up), skips and failures by reason",
    description: '404 not_found.',
  })
  @ApiOkResponse({ type: RunReportDto })
  @ApiErrorResponses(404)
  async report(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('runId') runId: string,
  ): Promise<RunReport> {
    await this.campaigns.record(p.scope, id, reachOf(p));
    return this.reports.report(p.scope, id, runId);
  }

  @Get('runs/:runId/progress')
  @ApiParam(ID)
  @ApiParam(RUN)
  @ApiOperation({
    summary:
      "A run's progress as Server-Sent Events: `progress` every 2 s until it is completed or cancelled, then `end`",
    description:
      "404 not_found; 429 too_many_streams (each stream holds one of the plan's sseStreams). A progress event: " +
      "{runId, state, targeted, skipped, sent, failed, remaining} (sent = handed to WhatsApp's queue; delivery " +
      'and read are in the report).',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiErrorResponses(404, 429)
  async progress(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('runId') runId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.campaigns.record(p.scope, id, reachOf(p));
    await this.reports.find(p.scope, id, runId);
    await this.progressStream.stream(p.scope, runId, req, res);
  }

  @Get('runs/:runId/recipients')
  @ApiParam(ID)
  @ApiParam(RUN)
  @ApiOperation({
    summary: "A run's recipients in planning order, with their status",
    description: '404 not_found.',
  })
  @ApiOkResponse({ type: RunRecipientPageDto })
  @ApiErrorResponses(400, 404)
  async recipients(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('runId') runId: string,
    @Query() query: RecipientsQueryDto,
  ): Promise<{ data: RecipientView[]; nextAfter: number | null }> {
    await this.campaigns.record(p.scope, id, reachOf(p));
    const page = await this.reports.recipients(p.scope, id, runId, {
      afterSeq: query.after ?? 0,
      limit: query.limit ?? 100,
    });
    const data = query.status ? page.data.filter((r) => r.status === query.status) : page.data;
    return { data, nextAfter: page.lastSeq };
  }
}
