import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigValidationError, loadConfig } from '@wwb/config';
import { configureHttpApp, HTTP_APP_OPTIONS, OPENAPI_JSON_PATH, SWAGGER_UI_PATH } from '@wwb/http';
import { AppLogger } from '@wwb/observability';
import { ApiModule } from './api.module';

/** Creates, configures and starts the API on config.http.host:port; returns the listening app. */
export async function bootstrapApi(config: AppConfig = loadConfig()): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), HTTP_APP_OPTIONS);
  configureHttpApp(app, config);
  await app.listen(config.http.port, config.http.host);
  const base = config.http.publicBaseUrl.replace(/\/$/, '');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  app.get(AppLogger).pino.info(
    {
      host: config.http.host,
      port,
      docs: `${base}${SWAGGER_UI_PATH}`,
      openapi: `${base}${OPENAPI_JSON_PATH}`,
    },
    `API listening on http://${config.http.host}:${port}, docs at ${base}${SWAGGER_UI_PATH}`,
  );
  return app;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await bootstrapApi(config);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('API failed to start:', err);
    process.exit(1);
  });
}
