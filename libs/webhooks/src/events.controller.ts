import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { EventLogRepository } from '@wwb/event-log';
import { ApiErrorResponses } from '@wwb/http';
import { EventPageDto, EventsQueryDto } from './webhook.dto';

/** The pull fallback of webhooks: the account's events in order, after a cursor. */
@ApiTags('events')
@ApiKeyAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly log: EventLogRepository) {}

  @Get()
  @ApiOperation({
    summary: "The account's events in order (pull fallback for webhooks and reconciliation)",
    description:
      'Pass the nextCursor of a page as ?after= for the next one. A key restricted to some connections sees the events of those connections only.',
  })
  @ApiOkResponse({ type: EventPageDto })
  @ApiErrorResponses(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EventsQueryDto,
  ): Promise<EventPageDto> {
    const types = query.types
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const page = await this.log.list(principal.scope, {
      after: query.after,
      limit: query.limit ?? 100,
      types,
    });
    const events = principal.restricted
      ? page.events.filter((e) => e.connectionId !== undefined && principal.mayUseConnection(e.connectionId))
      : page.events;
    return { data: events as unknown as Record<string, unknown>[], nextCursor: page.nextAfter };
  }
}
