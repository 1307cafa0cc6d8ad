/**
 * A worker process with the webhooks role only (no event log, no messaging consumers), for
 * bench/webhook-delivery.bench.ts with BENCH_WORKER=webhooks: what delivery costs on its own.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { runRoleMain } from '@wwb/http';
import { PlatformModule } from '@wwb/platform';
import { HttpPlatformModule } from '@wwb/http';
import { WebhooksModule } from '@wwb/webhooks';

@Module({})
class WebhooksOnlyWorkerModule {}

runRoleMain('webhooks-worker', (config) => ({
  module: WebhooksOnlyWorkerModule,
  imports: [PlatformModule.forRoot(config), HttpPlatformModule, WebhooksModule.forWorker()],
}));
