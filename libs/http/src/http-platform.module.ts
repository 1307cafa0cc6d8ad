import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { HealthController } from './health/health.controller';
import { HttpDrainService } from './http-drain.service';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { MetricsAccessPolicy } from './health/metrics-access.policy';
import { MetricsListenerService } from './health/metrics-listener.service';
import { MetricsController } from './health/metrics.controller';
import { MetricsTokenGuard } from './health/metrics-token.guard';
import { ReadinessService } from './health/readiness.service';
import { AppValidationPipe } from './errors/validation.pipe';

/**
 * HTTP conventions shared by every HTTP app: the global error filter and validation pipe,
 * /health/live, /health/ready and /metrics (details and metrics behind METRICS_TOKEN, or on
 * METRICS_PORT), and draining in-flight requests at shutdown. Needs the global config, observability,
 * persistence and Kafka modules. Pair with configureHttpApp() on the app instance.
 */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_PIPE, useClass: AppValidationPipe },
    HttpDrainService,
    MetricsAccessPolicy,
    MetricsTokenGuard,
    ReadinessService,
    MetricsListenerService,
  ],
  exports: [MetricsListenerService],
})
export class HttpPlatformModule {}
