import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setFlagsFromString } from 'node:v8';
import { AppConfig, loadConfig } from '@wwb/config';
import { runRoleMain, startHttpRole } from '@wwb/http';
import { ApiModule } from './api.module';

/** Creates, configures and starts the API on config.http.host:port; returns the listening app. */
export function bootstrapApi(config: AppConfig = loadConfig()): Promise<NestExpressApplication> {
  return startHttpRole('api', (c) => ApiModule.forRoot(c), config);
}

if (require.main === module) {
  // V8 pretenures an allocation site once its objects survive young collections, e.g. request
  // objects during a burst or at start-up; from then on every request allocates them in the old
  // generation, and each young collection has to scan the old-to-new pointers they leave. Measured
  // on the API at 1,000 GET/s (same machine, alternating runs): young collections took 5.2 to
  // 6.0 ms with it and 3.0 to 3.8 ms without, and p99 fell from 4.0-7.2 to 3.3-6.9 ms. Set before
  // the app allocates anything, as V8 reads the flag when it next collects. Measured again with
  // ExpressHttpAdapter, under which few request objects survive at all: young collections
  // averaged 6.0 ms with pretenuring and 1.2-1.3 ms without; vegeta p99 6.2-7.4 vs 2.5-2.7 ms.
  setFlagsFromString('--no-allocation-site-pretenuring');
  runRoleMain('api', (config) => ApiModule.forRoot(config));
}
