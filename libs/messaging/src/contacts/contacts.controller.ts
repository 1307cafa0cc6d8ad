import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { ContactCheckDto, ContactCheckResultDto } from './contact-check.dto';
import { ContactCheckService } from './contact-check.service';

@ApiTags('contacts')
@ApiKeyAuth()
@Controller('v1/connections/:id/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactCheckService) {}

  @Post('check')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Whether a phone number is on WhatsApp (asks the gateway running the connection)',
    description: '400 invalid_phone; 409 connection_not_ready; 504 gateway_timeout when no gateway answers.',
  })
  @ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' })
  @ApiOkResponse({ type: ContactCheckResultDto })
  @ApiErrorResponses(400, 404, 409, 413, 415, 504)
  async check(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Body() body: ContactCheckDto,
  ): Promise<ContactCheckResultDto> {
    return this.contacts.check(principal, connectionId, body.phone);
  }
}
