import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { AccountRecord } from './account.schema';
import type { AccountUsage } from './plans/account-usage.service';
import { PLAN_NAMES, Plan, PlanName } from './plans/plan.value-object';

export class CreateAccountDto {
  @ApiProperty({ example: 'Acme Support', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: PLAN_NAMES, example: 'professional' })
  @IsIn(PLAN_NAMES)
  plan!: PlanName;
}

/**
 * Any subset of the fields. A plan below the current usage is accepted: existing keys and
 * connections stay, new ones are refused (403 plan_limit_exceeded) until usage is under the limit.
 */
export class UpdateAccountDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf((o: UpdateAccountDto) => o.name !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: PLAN_NAMES })
  @ValidateIf((o: UpdateAccountDto) => o.plan !== undefined)
  @IsIn(PLAN_NAMES)
  plan?: PlanName;

  @ApiPropertyOptional({ description: 'A disabled account gets 403 account_disabled on every request' })
  @ValidateIf((o: UpdateAccountDto) => o.disabled !== undefined)
  @IsBoolean()
  disabled?: boolean;
}

export class PlanLimitsDto {
  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited', example: 5 })
  apiKeys!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited', example: 10 })
  connections!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited', example: 10 })
  webhooks!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited', example: 500 })
  templates!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Auto-reply rules; null = unlimited',
    example: 500,
  })
  autoReplies!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited', example: 10 })
  faqBots!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Campaigns (a cancelled one counts until it is deleted); null = unlimited',
    example: 100,
  })
  campaigns!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Console users plus pending invitations; null = unlimited',
    example: 20,
  })
  users!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited', example: 100000 })
  contacts!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Messages accepted and not yet sent or failed; one more send is 429 too_many_pending_messages. null = unlimited',
    example: 10000,
  })
  pendingMessages!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Bytes of stored media (uploads, base64 and URL media of sent messages, until retention deletes them); ' +
      'storing more is 403 plan_limit_exceeded. null = unlimited',
    example: 10737418240,
  })
  mediaBytes!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Live event streams open at once over all API processes; one more is 429 too_many_streams. null = unlimited',
    example: 25,
  })
  sseStreams!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Webhook redelivery and replay jobs not done yet; one more is 429 too_many_webhook_jobs. null = unlimited',
    example: 5,
  })
  webhookJobs!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Media URL fetches in flight at once (sends with media.url); one more is 429 too_many_media_fetches. null = unlimited',
    example: 16,
  })
  mediaFetches!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Messages scheduled with sendAt and not sent yet; one more is 429 too_many_scheduled_messages. null = unlimited',
    example: 10000,
  })
  scheduledMessages!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Bulk send jobs (POST /v1/connections/{id}/bulk) whose run is not over; one more is 429 too_many_bulk_jobs. null = unlimited',
    example: 5,
  })
  bulkJobs!: number | null;
}

export class UsageDto {
  @ApiProperty({ example: 1 }) apiKeys!: number;
  @ApiProperty({ example: 0 }) connections!: number;
  @ApiProperty({ example: 0 }) webhooks!: number;
  @ApiProperty({ example: 0 }) templates!: number;
  @ApiProperty({ example: 0 }) autoReplies!: number;
  @ApiProperty({ example: 0 }) faqBots!: number;
  @ApiProperty({ example: 0 }) campaigns!: number;
  @ApiProperty({ example: 1, description: 'Console users plus pending invitations' }) users!: number;
  @ApiProperty({ example: 0, description: 'Messages accepted and not yet sent or failed' })
  pendingMessages!: number;
  @ApiProperty({ example: 0, description: 'Bytes of stored media' }) mediaBytes!: number;
  @ApiProperty({ example: 0, description: 'Live event streams open now' }) sseStreams!: number;
  @ApiProperty({ example: 0, description: 'Webhook redelivery and replay jobs not done yet' })
  webhookJobs!: number;
  @ApiProperty({ example: 0, description: 'Media URL fetches in flight now' }) mediaFetches!: number;
  @ApiProperty({ example: 0, description: 'Messages scheduled and not sent yet' })
  scheduledMessages!: number;
  @ApiProperty({ example: 0, description: 'Bulk send jobs whose run is not over yet' })
  bulkJobs!: number;
}

/** What the DTOs are made from: the account, its plan (PLAN_LIMITS applied) and its usage. */
export interface AccountView {
  account: AccountRecord;
  plan: Plan;
  usage: AccountUsage;
}

export class AccountDto {
  @ApiProperty({ example: 'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PLAN_NAMES }) plan!: PlanName;
  @ApiProperty({ type: PlanLimitsDto }) limits!: PlanLimitsDto;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: UsageDto }) usage!: UsageDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from({ account: a, plan, usage }: AccountView): AccountDto {
    return {
      id: a._id,
      name: a.name,
      plan: a.plan,
      limits: { ...plan.limits },
      disabled: a.disabled,
      usage: { ...usage },
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    };
  }
}

export class AccountPageDto {
  @ApiProperty({ type: [AccountDto] }) data!: AccountDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null at the end',
  })
  nextCursor!: string | null;
}

/** What an account sees of itself. */
export class AccountOverviewDto {
  @ApiProperty({ example: 'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PLAN_NAMES }) plan!: PlanName;
  @ApiProperty({ type: PlanLimitsDto }) limits!: PlanLimitsDto;
  @ApiProperty({ type: UsageDto }) usage!: UsageDto;

  static from({ account: a, plan, usage }: AccountView): AccountOverviewDto {
    return {
      id: a._id,
      name: a.name,
      plan: a.plan,
      limits: { ...plan.limits },
      usage: { ...usage },
    };
  }
}
