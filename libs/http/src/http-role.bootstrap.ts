import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigValidationError, loadConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { ExpressHttpAdapter } from './express-http.adapter';
import { configureHttpApp, HTTP_APP_OPTIONS } from './http-app.configurer';
import { OPENAPI_JSON_PATH, SWAGGER_UI_PATH } from './openapi/openapi.setup';

export type RootModuleFactory = (config: AppConfig) => Type<unknown> | DynamicModule;

/**
 * Creates a process role as an HTTP app (every role serves /health and /metrics; the API role
 * adds its controllers), configures the HTTP conventions, and listens on HTTP_HOST:HTTP_PORT.
 */
export async function startHttpRole(
  role: string,
  rootModule: RootModuleFactory,
  config: AppConfig = loadConfig(),
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    rootModule(config),
    new ExpressHttpAdapter(),
    HTTP_APP_OPTIONS,
  );
  configureHttpApp(app, config);
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const base = config.http.publicBaseUrl.replace(/\/$/, '');
  app.get(AppLogger).pino.info(
    {
      role,
      host: config.http.host,
      port,
      docs: `${base}${SWAGGER_UI_PATH}`,
      openapi: `${base}${OPENAPI_JSON_PATH}`,
    },
    `${role} listening on http://${config.http.host}:${port} (API docs at ${base}${SWAGGER_UI_PATH})`,
  );
  return app;
}

/**
 * The `main()` of a role: validates the configuration (a bad setting prints one line per problem
 * and exits 1), starts the role, and shuts down gracefully on SIGTERM / SIGINT.
 */
export function runRoleMain(role: string, rootModule: RootModuleFactory): void {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigValidationError ? err.message : err);
    process.exit(1);
  }
  startHttpRole(role, rootModule, config).then(
    (app) => app.enableShutdownHooks(['SIGTERM', 'SIGINT']),
    (err: unknown) => {
      console.error(`${role} failed to start:`, err);
      process.exit(1);
    },
  );
}
