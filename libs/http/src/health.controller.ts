import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { KafkaHealth } from '@wwb/kafka';
import { MongoHealth } from '@wwb/persistence';

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
  @ApiProperty({ type: ReadinessChecksDto }) checks!: ReadinessChecksDto;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly mongo: MongoHealth,
    private readonly kafka: KafkaHealth,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: MongoDB and Kafka answer' })
  @ApiOkResponse({ type: ReadinessDto, description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'At least one dependency is down' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const [mongo, kafka] = await Promise.all([this.mongo.check(), this.kafka.check()]);
    const up = mongo.up && kafka.up;
    if (!up) res.status(503);
    return { status: up ? 'ok' : 'unavailable', checks: { mongo, kafka } };
  }
}
