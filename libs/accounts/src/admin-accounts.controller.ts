import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@wwb/http';
import { scopeOf } from '@wwb/persistence';
import { AccountDto, AccountPageDto, CreateAccountDto, UpdateAccountDto } from './account.dto';
import { AccountsService } from './accounts.service';
import { AccountUsageService } from './plans/account-usage.service';
import { PlanCatalog } from './plans/plan.catalog';
import { CreateApiKeyDto, CreatedApiKeyDto } from './keys/api-key.dto';
import { ApiKeysService } from './keys/api-keys.service';
import { AdminAuth } from './auth/auth.decorators';
import { PageQueryDto } from './page.dto';

@ApiTags('admin')
@AdminAuth()
@Controller('v1/admin/accounts')
export class AdminAccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly apiKeys: ApiKeysService,
    private readonly plans: PlanCatalog,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiErrorResponses(400, 413, 415)
  async create(@Body() body: CreateAccountDto): Promise<AccountDto> {
    const account = await this.accounts.create(body);
    return AccountDto.from({ account, plan: this.plans.of(account.plan), usage: AccountUsageService.none() });
  }

  @Get()
  @ApiOperation({ summary: 'List accounts, oldest first (cursor pagination)' })
  @ApiOkResponse({ type: AccountPageDto })
  @ApiErrorResponses(400)
  async list(@Query() query: PageQueryDto): Promise<AccountPageDto> {
    const page = await this.accounts.list(query);
    return { data: page.data.map((a) => AccountDto.from(a)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an account' })
  @ApiParam({ name: 'id', example: 'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiOkResponse({ type: AccountDto })
  @ApiErrorResponses(404)
  async get(@Param('id') id: string): Promise<AccountDto> {
    return AccountDto.from(await this.accounts.getWithUsage(scopeOf(id)));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change the name, the plan or disable / re-enable an account',
    description:
      'A downgrade below current usage is accepted: existing keys and connections stay, new ones are refused ' +
      '(403 plan_limit_exceeded) until usage is under the new limit. Disabling takes effect at once on this process ' +
      'and within API_KEY_CACHE_TTL_MS on others.',
  })
  @ApiParam({ name: 'id', example: 'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiOkResponse({ type: AccountDto })
  @ApiErrorResponses(400, 404, 413, 415)
  async update(@Param('id') id: string, @Body() body: UpdateAccountDto): Promise<AccountDto> {
    await this.accounts.update(scopeOf(id), body);
    return AccountDto.from(await this.accounts.getWithUsage(scopeOf(id)));
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Issue an API key for an account (counts against the account's plan)" })
  @ApiParam({ name: 'id', example: 'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'The full key is in this answer only' })
  @ApiErrorResponses(400, 403, 404, 413, 415)
  async issueKey(@Param('id') id: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { record, key } = await this.apiKeys.issue(scopeOf(id), body);
    return CreatedApiKeyDto.from(record, key);
  }
}
