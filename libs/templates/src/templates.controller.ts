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
import { canonicalLanguage } from './template-fields.policy';
import { TemplateAuthoringService } from './template-authoring.service';
import {
  CreateTemplateDto,
  PreviewTemplateDto,
  SavedTemplateDto,
  TemplateDto,
  TemplatePageDto,
  TemplatePageQueryDto,
  TemplatePreviewDto,
  TemplateValidationDto,
  UpdateTemplateDto,
  ValidateTemplateDto,
} from './template.dto';
import { toTemplateDto } from './template.mapper';
import { TemplatesService } from './templates.service';

const ID = { name: 'id', example: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };
const BODY_ERRORS =
  'template_syntax_error (with line and column), unknown_helper, invalid_helper_usage, ' +
  'template_partials_not_allowed, undeclared_variable (details lists every problem), invalid_variable, ' +
  'invalid_language, invalid_template_media';

@ApiTags('templates')
@ApiKeyAuth()
@Controller('v1/templates')
export class TemplatesController {
  constructor(
    private readonly authoring: TemplateAuthoringService,
    private readonly templates: TemplatesService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a template',
    description: `Handlebars body, validated on save (see docs/templates.md). Errors: ${BODY_ERRORS}; 409 template_name_taken; 403 plan_limit_exceeded.`,
  })
  @ApiCreatedResponse({ type: SavedTemplateDto })
  @ApiErrorResponses(400, 403, 409, 413, 415)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTemplateDto,
  ): Promise<SavedTemplateDto> {
    const saved = await this.authoring.create(principal.scope, body);
    return { ...toTemplateDto(saved.template), warnings: saved.warnings };
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a body without saving it, and preview it',
    description:
      'Answers 200 with the problems a save would report (for editors) and, when there are none, the body ' +
      'rendered with the examples (and the contact `contactId`): a live preview of unsaved text. A render ' +
      'that fails is reported in previewProblem. 400 only for malformed input (invalid_language too); 404 ' +
      'for an unknown contact.',
  })
  @ApiOkResponse({ type: TemplateValidationDto })
  @ApiErrorResponses(400, 404, 413, 415)
  async validate(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ValidateTemplateDto,
  ): Promise<TemplateValidationDto> {
    const variables = body.variables ?? [];
    const language = body.language === undefined ? 'en' : canonicalLanguage(body.language);
    const { problems, warnings, paths } = this.authoring.check(body.body, variables);
    const answer: TemplateValidationDto = { valid: problems.length === 0, problems, warnings, paths };
    if (!answer.valid) return answer;
    const input = body.contactId ? { contactId: body.contactId } : {};
    try {
      answer.preview = await this.templates.previewDraft(
        principal.scope,
        { body: body.body, variables, language },
        input,
      );
    } catch (err) {
      // A body that checks out can still fail on its examples (a helper refusing a value).
      if (!(err instanceof DomainError) || err.code !== 'template_render_failed') throw err;
      answer.previewProblem = { code: err.code, message: err.message };
    }
    return answer;
  }

  @Get()
  @ApiOperation({ summary: "The account's templates, oldest first" })
  @ApiOkResponse({ type: TemplatePageDto })
  @ApiErrorResponses(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TemplatePageQueryDto,
  ): Promise<TemplatePageDto> {
    const page = await this.authoring.list(principal.scope, query);
    return { data: page.data.map(toTemplateDto), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiParam(ID)
  @ApiOperation({ summary: 'One template' })
  @ApiOkResponse({ type: TemplateDto })
  @ApiErrorResponses(404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TemplateDto> {
    return toTemplateDto(await this.templates.get(principal.scope, id));
  }

  @Patch(':id')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Change a template (absent fields stay)',
    description: `The body is validated again against the (new) variables. Errors: ${BODY_ERRORS}; 409 template_name_taken.`,
  })
  @ApiOkResponse({ type: SavedTemplateDto })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateTemplateDto,
  ): Promise<SavedTemplateDto> {
    const saved = await this.authoring.update(principal.scope, id, body);
    return { ...toTemplateDto(saved.template), warnings: saved.warnings };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Delete a template',
    description:
      '409 template_in_use while an auto-reply rule, FAQ bot or campaign uses it (details lists them).',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses(404, 409)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.authoring.delete(principal.scope, id);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Render a template',
    description:
      'With the declared examples, `variables` over them, and the contact `contactId` when given. Paths without ' +
      'a value render as empty text and are listed in missingVariables. Errors: 400 template_render_failed, ' +
      '404 template_not_found, 404 contact not found.',
  })
  @ApiOkResponse({ type: TemplatePreviewDto })
  @ApiErrorResponses(400, 404, 413, 415)
  preview(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: PreviewTemplateDto,
  ): Promise<TemplatePreviewDto> {
    return this.templates.preview(principal.scope, id, body);
  }
}
