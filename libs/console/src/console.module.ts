import { Module } from '@nestjs/common';
import { ConsoleAssetsStore } from './console-assets.store';
import { ConsoleController } from './console.controller';

/**
 * The web console's files at /console (API role only). The console itself is built by
 * `npm run build:console` into dist/console under the working directory; without a build,
 * /console answers 503 console_not_built and the API runs as usual.
 */
@Module({
  controllers: [ConsoleController],
  providers: [ConsoleAssetsStore],
})
export class ConsoleModule {}
