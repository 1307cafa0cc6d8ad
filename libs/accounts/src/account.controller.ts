import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountOverviewDto } from './account.dto';
import { AccountsService } from './accounts.service';
import { ApiKeyAuth, CurrentPrincipal } from './auth/auth.decorators';
import { Principal } from './auth/principal.model';

@ApiTags('account')
@ApiKeyAuth()
@Controller('v1/account')
export class AccountController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({
    summary: 'The calling account: plan, limits and usage',
    description:
      'Each limit of the plan (PLAN_LIMITS applied; null = unlimited) and what the account uses of it now, ' +
      'contacts excepted (GET /v1/contacts counts them). Cached per API process for up to API_KEY_CACHE_TTL_MS.',
  })
  @ApiOkResponse({ type: AccountOverviewDto })
  async get(@CurrentPrincipal() principal: Principal): Promise<AccountOverviewDto> {
    return AccountOverviewDto.from(await this.accounts.overview(principal.scope));
  }
}
