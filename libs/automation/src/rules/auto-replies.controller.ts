import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
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
import { DomainError } from '@wwb/runtime';
import { AutoRepliesService } from './auto-replies.service';
import { AutoReplyDryRunService } from './dry-run';
import {
  AutoReplyDto,
  AutoReplyPageDto,
  AutoReplyPageQueryDto,
  CreateAutoReplyDto,
  DryRunDto,
  DryRunResultDto,
  UpdateAutoReplyDto,
} from './auto-reply.dto';
import { RuleInput } from './rule-definition.policy';
import { Rule } from './rule.model';

const ID = { name: 'id', example: 'ar_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };

const SAVE_ERRORS =
  'Errors (400): unknown_condition_type, invalid_condition, invalid_regex (with the regex engine message), ' +
  'invalid_time_zone, invalid_business_hours, unknown_action_type, invalid_action, invalid_http_url, ' +
  'http_url_forbidden (private, loopback, link-local or metadata address), template_not_found, ' +
  'faq_bot_not_found, unknown_connection, invalid_name, the template engine codes for inline reply text ' +
  '(e.g. unknown_helper, undeclared_variable), validation_failed.';

const SCOPE_NOTE =
  'A key restricted to some connections sees and manages only rules limited to those connections ' +
  '(others are 404); a rule for other connections or for all of them is 403 forbidden_scope.';

/** A restricted key reaches a rule only when the rule is limited to the key's connections. */
function reaches(principal: Principal, rule: Rule): boolean {
  return !principal.restricted || principal.mayGrant(rule.connectionIds);
}

/** The rule as the caller may see it: another connection's rule is as absent as another account's. */
function visible(principal: Principal, rule: Rule): Rule {
  if (!reaches(principal, rule)) throw DomainError.notFound('Auto-reply rule');
  return rule;
}

function assertMayServe(principal: Principal, connectionIds: readonly string[] | undefined): void {
  if (principal.restricted && !principal.mayGrant(connectionIds)) {
    throw new DomainError(
      'forbidden',
      'forbidden_scope',
      'A key restricted to some connections can only manage rules limited to those connections',
    );
  }
}

export function toAutoReplyDto(rule: Rule): AutoReplyDto {
  return {
    id: rule.id,
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    stopOnMatch: rule.stopOnMatch,
    connectionIds: rule.connectionIds,
    conditions: rule.conditions as unknown as AutoReplyDto['conditions'],
    actions: rule.actions as unknown as AutoReplyDto['actions'],
    cooldownSeconds: rule.cooldownSeconds,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

@ApiTags('auto-replies')
@ApiKeyAuth()
@Controller('v1/auto-replies')
export class AutoRepliesController {
  constructor(
    private readonly rules: AutoRepliesService,
    private readonly dryRun: AutoReplyDryRunService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an auto-reply rule',
    description: `Rules are evaluated in ascending priority; a match of a rule with stopOnMatch ends the evaluation. ${SAVE_ERRORS} 403 plan_limit_exceeded, forbidden_scope. ${SCOPE_NOTE}`,
  })
  @ApiCreatedResponse({ type: AutoReplyDto })
  @ApiErrorResponses(400, 403, 413, 415)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateAutoReplyDto,
  ): Promise<AutoReplyDto> {
    assertMayServe(principal, body.connectionIds);
    return toAutoReplyDto(await this.rules.create(principal.scope, body as unknown as RuleInput));
  }

  @Get()
  @ApiOperation({ summary: "The account's rules, in evaluation order (priority, then id)" })
  @ApiOkResponse({ type: AutoReplyPageDto })
  @ApiErrorResponses(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AutoReplyPageQueryDto,
  ): Promise<AutoReplyPageDto> {
    const page = await this.rules.list(principal.scope, query);
    return {
      data: page.data.filter((r) => reaches(principal, r)).map(toAutoReplyDto),
      nextCursor: page.nextCursor,
    };
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Dry run: which rules a sample message would match, why, and the rendered replies',
    description:
      'Nothing is sent, saved or changed. Reply actions carry `rendered` (or `error` when rendering fails as it ' +
      'would when sent). With `draft`, the rules are evaluated as if the draft were saved: in place of the ' +
      'rule `draftOf` (at its new priority), or added as a new rule; its outcome carries `draft: true`. ' +
      `An invalid draft is refused as a save is, the message and details.field naming draft.<field>: ${SAVE_ERRORS} ` +
      "403 forbidden_scope (a restricted key's draft must be limited to its connections). " +
      '404 when the connection, the contact or the rule `draftOf` is not found.',
  })
  @ApiOkResponse({ type: DryRunResultDto })
  @ApiErrorResponses(400, 403, 404, 413, 415)
  async test(@CurrentPrincipal() principal: Principal, @Body() body: DryRunDto): Promise<DryRunResultDto> {
    const { at, draft, draftOf, ...rest } = body;
    if (!principal.mayUseConnection(body.connectionId)) throw DomainError.notFound('Connection');
    if (draftOf != null && principal.restricted) {
      visible(principal, await this.rules.get(principal.scope, draftOf));
    }
    if (draft) assertMayServe(principal, draft.connectionIds);
    const result = await this.dryRun.run(principal.scope, {
      ...rest,
      ...(at ? { at: new Date(at) } : {}),
      ...(draft
        ? {
            draft: {
              rule: draft as unknown as RuleInput,
              ...(draftOf != null ? { replaces: draftOf } : {}),
            },
          }
        : {}),
    });
    return result as unknown as DryRunResultDto;
  }

  @Get(':id')
  @ApiParam(ID)
  @ApiOperation({ summary: 'One rule' })
  @ApiOkResponse({ type: AutoReplyDto })
  @ApiErrorResponses(404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AutoReplyDto> {
    return toAutoReplyDto(visible(principal, await this.rules.get(principal.scope, id)));
  }

  @Patch(':id')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Change a rule; conditions and actions are replaced whole',
    description: `${SAVE_ERRORS} 403 forbidden_scope. ${SCOPE_NOTE}`,
  })
  @ApiOkResponse({ type: AutoReplyDto })
  @ApiErrorResponses(400, 403, 404, 413, 415)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateAutoReplyDto,
  ): Promise<AutoReplyDto> {
    visible(principal, await this.rules.get(principal.scope, id));
    if (body.connectionIds !== undefined) assertMayServe(principal, body.connectionIds);
    return toAutoReplyDto(
      await this.rules.update(principal.scope, id, body as unknown as Partial<RuleInput>),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam(ID)
  @ApiOperation({ summary: 'Delete a rule (its templates may then be deleted)' })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    visible(principal, await this.rules.get(principal.scope, id));
    await this.rules.delete(principal.scope, id);
  }
}
