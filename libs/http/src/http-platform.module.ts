import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { HealthController } from './health.controller';
import { HttpDrainService } from './http-drain.service';
import { HttpExceptionFilter } from './http-exception.filter';
import { MetricsController } from './metrics.controller';
import { AppValidationPipe } from './validation.pipe';

/**
 * HTTP conventions shared by every HTTP app: the global error filter and validation pipe,
 * /health/live, /health/ready and /metrics, and draining in-flight requests at shutdown. Needs the global config, observability,
 * persistence and Kafka modules. Pair with configureHttpApp() on the app instance.
 */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_PIPE, useClass: AppValidationPipe },
    HttpDrainService,
  ],
})
export class HttpPlatformModule {}
