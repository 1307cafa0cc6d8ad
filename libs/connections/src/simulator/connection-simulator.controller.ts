import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { ConnectionLifecycleService } from '../connection-lifecycle.service';
import {
  SimulatedAccountDto,
  SimulatorAckDto,
  SimulatorDisconnectDto,
  SimulatorInboundDto,
  SimulatorInboundResultDto,
  SimulatorPhoneMessageDto,
  SimulatorPhoneMessageResultDto,
  SimulatorScanDto,
} from './simulator.dto';

const ID = ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' });

/**
 * Plays the phone's part for connections of the simulator driver (demos, tests). Other
 * connections answer 409 not_a_simulator_connection.
 */
@ApiTags('simulator')
@ApiKeyAuth()
@Controller('v1/connections/:id/simulator')
export class ConnectionSimulatorController {
  constructor(private readonly lifecycle: ConnectionLifecycleService) {}

  @Post('scan')
  @HttpCode(200)
  @ID
  @ApiOperation({ summary: 'The simulated phone scans the QR code: authenticated, then ready' })
  @ApiOkResponse({ type: SimulatedAccountDto })
  @ApiErrorResponses(400, 404, 409, 413, 415, 504)
  async scan(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: SimulatorScanDto,
  ): Promise<SimulatedAccountDto> {
    return (await this.lifecycle.simulatorScan(principal, id, {
      ...(body.phoneNumber ? { phoneNumber: body.phoneNumber.replace(/^\+/, '') } : {}),
      ...(body.pushName ? { pushName: body.pushName } : {}),
    })) as SimulatedAccountDto;
  }

  @Post('inbound')
  @HttpCode(200)
  @ID
  @ApiOperation({ summary: 'A message arrives from someone else (message.received follows)' })
  @ApiOkResponse({ type: SimulatorInboundResultDto })
  @ApiErrorResponses(400, 404, 409, 413, 415, 504)
  async inbound(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: SimulatorInboundDto,
  ): Promise<SimulatorInboundResultDto> {
    const message = JSON.parse(JSON.stringify(body)) as Record<string, unknown> & { from: string };
    return (await this.lifecycle.simulatorInbound(principal, id, { message })) as SimulatorInboundResultDto;
  }

  @Post('phone-message')
  @HttpCode(200)
  @ID
  @ApiOperation({
    summary:
      'Someone types a message on the linked phone (message.sent without messageId or origin follows: a human answered)',
  })
  @ApiOkResponse({ type: SimulatorPhoneMessageResultDto })
  @ApiErrorResponses(400, 404, 409, 413, 415, 504)
  async phoneMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: SimulatorPhoneMessageDto,
  ): Promise<SimulatorPhoneMessageResultDto> {
    return (await this.lifecycle.simulatorPhoneMessage(principal, id, {
      to: body.to,
      text: body.text,
    })) as SimulatorPhoneMessageResultDto;
  }

  @Post('ack')
  @HttpCode(204)
  @ID
  @ApiOperation({
    summary: "The recipient's phone acknowledges one of our messages (message.status follows)",
  })
  @ApiNoContentResponse({ description: 'Acknowledged' })
  @ApiErrorResponses(400, 404, 409, 413, 415, 504)
  async ack(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: SimulatorAckDto,
  ): Promise<void> {
    await this.lifecycle.simulatorAck(principal, id, { waMessageId: body.messageId, status: body.status });
  }

  @Post('disconnect')
  @HttpCode(204)
  @ID
  @ApiOperation({
    summary: 'The session drops: LOGOUT / UNPAIRED unlink the device (logged_out), anything else restarts it',
  })
  @ApiNoContentResponse({ description: 'Disconnected' })
  @ApiErrorResponses(400, 404, 409, 413, 415, 504)
  async disconnect(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: SimulatorDisconnectDto,
  ): Promise<void> {
    await this.lifecycle.simulatorDisconnect(principal, id, {
      reason: body.reason ?? 'simulated disconnect',
    });
  }
}
