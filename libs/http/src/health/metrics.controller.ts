import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsRegistry } from '@wwb/observability';
import { ApiErrorResponses, SECURITY } from '../openapi/api-docs';
import { MetricsTokenGuard } from './metrics-token.guard';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @UseGuards(MetricsTokenGuard)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth(SECURITY.metrics)
  @ApiOperation({
    summary: 'Prometheus metrics (HTTP latency, Kafka lag, process)',
    description:
      'Needs `Authorization: Bearer <METRICS_TOKEN>` (401 invalid_metrics_token otherwise, also when no ' +
      'token is configured); METRICS_PORT serves it without a token.',
  })
  @ApiErrorResponses(401)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  async render(@Res() res: Response): Promise<void> {
    const text = await this.metrics.render();
    res.setHeader('Content-Type', this.metrics.contentType());
    res.send(text);
  }
}
