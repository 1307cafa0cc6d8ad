import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { SigningSecretStore } from './signing-secret.store';

export class SigningSecretDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Verifies the webhook-signature of requests made by auto-reply HTTP actions',
  })
  secret!: string;
}

/**
 * The account's secret for rule HTTP actions: receivers need it to verify the Standard Webhooks
 * signature. Created on first use (here or by the first action), never rotated yet.
 */
@ApiTags('auto-replies')
@ApiKeyAuth()
@Controller('v1/automation')
export class SigningSecretController {
  constructor(private readonly secrets: SigningSecretStore) {}

  @Get('signing-secret')
  @ApiOperation({ summary: 'The secret that signs the requests of auto-reply HTTP actions' })
  @ApiOkResponse({ type: SigningSecretDto })
  @ApiErrorResponses(401, 403)
  async get(@CurrentPrincipal() principal: Principal): Promise<SigningSecretDto> {
    return { secret: await this.secrets.get(principal.scope) };
  }
}
