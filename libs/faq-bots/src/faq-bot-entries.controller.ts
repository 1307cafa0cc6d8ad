import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
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
import { FaqBotEditorService } from './faq-bot-editor.service';
import { reachOf } from './faq-bot.policy';
import { FaqEntryBodyDto, FaqEntryDto, UpdateFaqEntryDto } from './faq-bot.dto';

const ID = { name: 'id', example: 'faq_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };
const ENTRY_ID = { name: 'entryId', example: 'opening-hours' };
const ENTRY_CODES =
  'entry_without_question, too_many_questions, too_many_keywords, invalid_entry_id, invalid_answer, template_not_found';

/** One entry at a time, for bots too big to send whole. */
@ApiTags('faq-bots')
@ApiKeyAuth()
@Controller('v1/faq-bots/:id/entries')
export class FaqBotEntriesController {
  constructor(private readonly editor: FaqBotEditorService) {}

  @Post()
  @HttpCode(201)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Add an entry (last in the list)',
    description: `Errors: 400 ${ENTRY_CODES}, too_many_entries; 409 entry_exists (an entry with this id).`,
  })
  @ApiCreatedResponse({ type: FaqEntryDto })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  add(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: FaqEntryBodyDto,
  ): Promise<FaqEntryDto> {
    return this.editor.addEntry(p.scope, id, body, reachOf(p));
  }

  @Patch(':entryId')
  @ApiParam(ID)
  @ApiParam(ENTRY_ID)
  @ApiOperation({
    summary: 'Change an entry (absent fields stay)',
    description: `Errors: 400 ${ENTRY_CODES}.`,
  })
  @ApiOkResponse({ type: FaqEntryDto })
  @ApiErrorResponses(400, 404, 413, 415)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('entryId') entryId: string,
    @Body() body: UpdateFaqEntryDto,
  ): Promise<FaqEntryDto> {
    return this.editor.updateEntry(p.scope, id, entryId, body, reachOf(p));
  }

  @Delete(':entryId')
  @HttpCode(204)
  @ApiParam(ID)
  @ApiParam(ENTRY_ID)
  @ApiOperation({ summary: 'Delete an entry' })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  async delete(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('entryId') entryId: string,
  ): Promise<void> {
    await this.editor.deleteEntry(p.scope, id, entryId, reachOf(p));
  }
}
