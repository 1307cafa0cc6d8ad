import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@wwb/config';
import { ErrorBodyDto, FieldErrorDto } from '../errors/error-body.dto';
import { SECURITY } from './api-docs';

export const OPENAPI_JSON_PATH = '/docs/openapi.json';
export const SWAGGER_UI_PATH = '/docs';

export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('WhatsApp Web Bot API')
    .setDescription(
      'REST API of the WhatsApp Web Bot platform. Every error has the body ' +
        '`{statusCode, code, message, details?, requestId}`; send `X-Request-Id` to choose the request id ' +
        'and `X-Correlation-Id` to tie the request to the events it produces.',
    )
    .setVersion('1')
    .addServer(config.http.publicBaseUrl)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'wwb_ API key',
        description: 'Authorization: Bearer wwb_…',
      },
      SECURITY.bearer,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The API key in a header' },
      SECURITY.apiKey,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'ADMIN_API_KEY',
        description: 'Operator key (ADMIN_API_KEY) for /v1/admin; X-API-Key: <ADMIN_API_KEY> works too',
      },
      SECURITY.admin,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'METRICS_TOKEN',
        description: 'Token for /metrics and the readiness details (METRICS_TOKEN)',
      },
      SECURITY.metrics,
    );
  return SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorBodyDto, FieldErrorDto] });
}

/** Serves the OpenAPI 3 document at /docs/openapi.json and Swagger UI at /docs. */
export function setupOpenApi(app: INestApplication, config: AppConfig): OpenAPIObject {
  const document = buildOpenApiDocument(app, config);
  SwaggerModule.setup(SWAGGER_UI_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
    customSiteTitle: 'WhatsApp Web Bot API',
  });
  return document;
}
