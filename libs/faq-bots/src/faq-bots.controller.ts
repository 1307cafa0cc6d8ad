import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { FaqBotDetail } from './faq-bot.mapper';
import { FaqBotEditorService } from './faq-bot-editor.service';
import { reachOf } from './faq-bot.policy';
import {
  AskFaqBotDto,
  CreateFaqBotDto,
  FaqAskResultDto,
  FaqBotDetailDto,
  FaqBotPageDto,
  FaqBotPageQueryDto,
  UpdateFaqBotDto,
} from './faq-bot.dto';
import { FaqBotsService } from './faq-bots.service';
import { FaqReportDto, FaqReportQueryDto } from './faq-report.dto';

const ID = { name: 'id', example: 'faq_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };
const SCOPE_NOTE =
  'A key restricted to some connections sees and manages only bots limited to those connections ' +
  '(others are 404); a bot for other connections or for all of them is 403 forbidden_scope.';
const BODY_CODES =
  'invalid_threshold, invalid_language, invalid_handoff_after_misses, invalid_name, unknown_connection, ' +
  'entry_without_question, too_many_questions, too_many_keywords, too_many_entries, duplicate_entry_id, ' +
  'invalid_entry_id, invalid_answer, template_not_found';

const withCount = (bot: FaqBotDetail): FaqBotDetailDto => ({ ...bot, entryCount: bot.entries.length });

@ApiTags('faq-bots')
@ApiKeyAuth()
@Controller('v1/faq-bots')
export class FaqBotsController {
  constructor(
    private readonly editor: FaqBotEditorService,
    private readonly faqBots: FaqBotsService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a FAQ bot (with its entries)',
    description: `Errors (400): ${BODY_CODES}; 403 plan_limit_exceeded, forbidden_scope. ${SCOPE_NOTE} See docs/faq-bots.md.`,
  })
  @ApiCreatedResponse({ type: FaqBotDetailDto })
  @ApiErrorResponses(400, 403, 413, 415)
  async create(@CurrentPrincipal() p: Principal, @Body() body: CreateFaqBotDto): Promise<FaqBotDetailDto> {
    return withCount(await this.editor.create(p.scope, body, reachOf(p)));
  }

  @Get()
  @ApiOperation({ summary: "The account's FAQ bots (without their entries)" })
  @ApiOkResponse({ type: FaqBotPageDto })
  @ApiErrorResponses(400)
  list(@CurrentPrincipal() p: Principal, @Query() query: FaqBotPageQueryDto): Promise<FaqBotPageDto> {
    return this.editor.list(p.scope, query, reachOf(p));
  }

  @Get(':id')
  @ApiParam(ID)
  @ApiOperation({ summary: 'One FAQ bot with its entries' })
  @ApiOkResponse({ type: FaqBotDetailDto })
  @ApiErrorResponses(404)
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<FaqBotDetailDto> {
    return withCount(await this.editor.get(p.scope, id, reachOf(p)));
  }

  @Put(':id')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Replace a FAQ bot: absent fields take their defaults, `entries` (default []) replaces the list',
    description: `Errors (400): ${BODY_CODES}; 403 forbidden_scope. ${SCOPE_NOTE}`,
  })
  @ApiOkResponse({ type: FaqBotDetailDto })
  @ApiErrorResponses(400, 403, 404, 413, 415)
  async replace(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: CreateFaqBotDto,
  ): Promise<FaqBotDetailDto> {
    return withCount(await this.editor.update(p.scope, id, body, true, reachOf(p)));
  }

  @Patch(':id')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Change a FAQ bot: absent fields stay, `entries` when given replaces the list',
    description: `Errors (400): ${BODY_CODES}; 403 forbidden_scope. ${SCOPE_NOTE}`,
  })
  @ApiOkResponse({ type: FaqBotDetailDto })
  @ApiErrorResponses(400, 403, 404, 413, 415)
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: UpdateFaqBotDto,
  ): Promise<FaqBotDetailDto> {
    return withCount(await this.editor.update(p.scope, id, body, false, reachOf(p)));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam(ID)
  @ApiOperation({ summary: 'Delete a FAQ bot, its entries and its report data' })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  async delete(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.editor.delete(p.scope, id, reachOf(p));
  }

  @Post(':id/ask')
  @HttpCode(200)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Which entries would answer this message (nothing is sent or recorded)',
    description: 'Up to 5 candidates with scores 0..1; matched = the best reaches the bot threshold.',
  })
  @ApiOkResponse({ type: FaqAskResultDto })
  @ApiErrorResponses(400, 404, 413, 415)
  ask(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: AskFaqBotDto,
  ): Promise<FaqAskResultDto> {
    return this.faqBots.ask(p.scope, id, body.text, reachOf(p));
  }

  @Get(':id/report')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Answers, misses and hand-offs per day, and the unanswered questions grouped',
    description: 'Window [from, to), at most 92 days (400 invalid_report_window); default the last 30 days.',
  })
  @ApiOkResponse({ type: FaqReportDto })
  @ApiErrorResponses(400, 404)
  report(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() query: FaqReportQueryDto,
  ): Promise<FaqReportDto> {
    return this.faqBots.report(
      p.scope,
      id,
      {
        ...(query.from ? { from: new Date(query.from) } : {}),
        ...(query.to ? { to: new Date(query.to) } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      },
      reachOf(p),
    );
  }
}
