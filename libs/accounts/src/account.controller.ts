import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountOverviewDto } from './account.dto';
import { AccountsService } from './accounts.service';
import { ApiKeyAuth, CurrentPrincipal } from './auth.decorators';
import { Principal } from './principal.model';

@ApiTags('account')
@ApiKeyAuth()
@Controller('v1/account')
export class AccountController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'The calling account: plan, limits and usage' })
  @ApiOkResponse({ type: AccountOverviewDto })
  async get(@CurrentPrincipal() principal: Principal): Promise<AccountOverviewDto> {
    const { account, usage } = await this.accounts.overview(principal.scope);
    return AccountOverviewDto.from(account, usage);
  }
}
