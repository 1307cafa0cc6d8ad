import { Controller, Get, HttpCode, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { MetricsAccessPolicy } from './metrics-access.policy';
import { ReadinessService } from './readiness.service';

export class DependencyCheckDto {
  @ApiProperty() up!: boolean;
  @ApiPropertyOptional({ description: 'Round trip of the check, in ms' }) latencyMs?: number;
  @ApiPropertyOptional() error?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: DependencyCheckDto }) mongo!: DependencyCheckDto;
  @ApiProperty({ type: DependencyCheckDto }) kafka!: DependencyCheckDto;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiPropertyOptional({
    type: ReadinessChecksDto,
    description: 'Only with `Authorization: Bearer <METRICS_TOKEN>` (or on METRICS_PORT)',
  })
  checks?: ReadinessChecksDto;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly access: MetricsAccessPolicy,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Readiness: MongoDB and Kafka answer',
    description:
      'Open to all: the status code and `status`. Which dependency is down (`checks`) only with ' +
      '`Authorization: Bearer <METRICS_TOKEN>`, or without a token on METRICS_PORT.',
  })
  @ApiOkResponse({ type: ReadinessDto, description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'At least one dependency is down' })
  async ready(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const readiness = await this.readiness.check();
    if (readiness.status !== 'ok') res.status(503);
    return this.access.allows(req.headers) ? readiness : { status: readiness.status };
  }
}
