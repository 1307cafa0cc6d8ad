import { Global, Module } from '@nestjs/common';
import { AppLogger } from './app.logger';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({ providers: [AppLogger, MetricsRegistry], exports: [AppLogger, MetricsRegistry] })
export class ObservabilityModule {}
