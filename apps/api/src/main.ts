import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, loadConfig } from '@wwb/config';
import { runRoleMain, startHttpRole } from '@wwb/http';
import { ApiModule } from './api.module';

/** Creates, configures and starts the API on config.http.host:port; returns the listening app. */
export function bootstrapApi(config: AppConfig = loadConfig()): Promise<NestExpressApplication> {
  return startHttpRole('api', (c) => ApiModule.forRoot(c), config);
}

if (require.main === module) runRoleMain('api', (config) => ApiModule.forRoot(config));
