import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import {
  ConnectionDto,
  ConnectionPageDto,
  ConnectionPageQueryDto,
  CreateConnectionDto,
  PairingCodeDto,
  PairingCodeRequestDto,
  QrDto,
  QrQueryDto,
} from './connection.dto';
import { ConnectionLifecycleService } from './connection-lifecycle.service';
import { ConnectionsService } from './connections.service';
import { EventStreamRunner } from './live';
import { QrCodeRenderer } from './qr-code.renderer';

const ID = ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' });

@ApiTags('connections')
@ApiKeyAuth()
@Controller('v1/connections')
export class ConnectionsController {
  constructor(
    private readonly reader: ConnectionsService,
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly qrCodes: QrCodeRenderer,
    private readonly streams: EventStreamRunner,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a WhatsApp connection (within the plan); it starts and shows a QR code to scan',
  })
  @ApiCreatedResponse({ type: ConnectionDto })
  @ApiErrorResponses(400, 403, 413, 415)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateConnectionDto,
  ): Promise<ConnectionDto> {
    return ConnectionDto.from(await this.lifecycle.create(principal, body));
  }

  @Get()
  @ApiOperation({ summary: 'The connections the key may use, oldest first' })
  @ApiOkResponse({ type: ConnectionPageDto })
  @ApiErrorResponses(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ConnectionPageQueryDto,
  ): Promise<ConnectionPageDto> {
    const page = await this.reader.list(principal, query);
    return { data: page.data.map((v) => ConnectionDto.from(v)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ID
  @ApiOperation({ summary: 'Status, phone number, push name, last error and timestamps of a connection' })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiErrorResponses(404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ConnectionDto> {
    return ConnectionDto.from(await this.reader.getForPrincipal(principal, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ID
  @ApiOperation({
    summary:
      'Delete a connection: it stops, logs out and its session data is deleted; the plan slot is free at once',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(404)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.lifecycle.delete(principal, id);
  }

  @Get(':id/qr')
  @ID
  @ApiOperation({
    summary:
      'The QR code to scan (WhatsApp > Linked devices > Link a device), as JSON or, with ?format=png, a PNG',
  })
  @ApiProduces('application/json', 'image/png')
  @ApiOkResponse({ type: QrDto })
  @ApiErrorResponses(400, 404, 409)
  async qr(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: QrQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { qr, issuedAt } = await this.lifecycle.qr(principal, id);
    res.setHeader('Cache-Control', 'no-store');
    if (query.format === 'png') {
      res.status(200).setHeader('Content-Type', 'image/png');
      res.end(await this.qrCodes.png(qr));
      return;
    }
    const body: QrDto = { qr, image: await this.qrCodes.dataUrl(qr), issuedAt: issuedAt.toISOString() };
    res.status(200).json(body);
  }

  @Post(':id/pairing-code')
  @HttpCode(200)
  @ID
  @ApiOperation({
    summary:
      'Link by phone number instead of a scan: a code to enter on the phone (WhatsApp > Linked devices > Link with phone number)',
  })
  @ApiOkResponse({ type: PairingCodeDto })
  @ApiErrorResponses(400, 404, 409, 413, 415, 504)
  async pairingCode(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: PairingCodeRequestDto,
  ): Promise<PairingCodeDto> {
    return this.lifecycle.pairingCode(principal, id, body.phoneNumber);
  }

  @Post(':id/restart')
  @HttpCode(202)
  @ID
  @ApiOperation({ summary: 'Restart the session (after a logout: start again with a new QR code)' })
  @ApiAcceptedResponse({ type: ConnectionDto, description: 'The gateway restarts it; follow the status' })
  @ApiErrorResponses(404)
  async restart(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ConnectionDto> {
    return ConnectionDto.from(await this.lifecycle.restart(principal, id));
  }

  @Post(':id/logout')
  @HttpCode(202)
  @ID
  @ApiOperation({ summary: 'Unlink the phone and delete the session; the connection stays (logged_out)' })
  @ApiAcceptedResponse({ type: ConnectionDto, description: 'The gateway logs it out; follow the status' })
  @ApiErrorResponses(404)
  async logout(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ConnectionDto> {
    return ConnectionDto.from(await this.lifecycle.logout(principal, id));
  }

  @Get(':id/events')
  @ID
  @ApiOperation({
    summary:
      'Live events of the connection as Server-Sent Events: first `connection` (the current state), then each event ' +
      '(connection.status, connection.qr, message.*, …) with the event type as SSE event name and the envelope as data. ' +
      'At most SSE_MAX_STREAMS_PER_KEY streams per key (per API process) and the plan limit sseStreams per account ' +
      '(over all API processes, GET /v1/account): one more is 429 too_many_streams. A stream that is not read, or ' +
      'whose key is revoked or account disabled, is ended',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiErrorResponses(404, 429)
  async events(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.reader.getForPrincipal(principal, id);
    await this.streams.run({
      principal,
      accountId: view.accountId,
      connectionId: view.id,
      req,
      res,
      snapshot: async () => ConnectionDto.from(await this.reader.get(principal.scope, id).catch(() => view)),
    });
  }
}
