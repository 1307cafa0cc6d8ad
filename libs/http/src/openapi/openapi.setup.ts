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
    )
    .addCookieAuth(
      SESSION_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        name: SESSION_COOKIE,
        description:
          'Console session (POST /v1/console/session, or /v1/console/operator-session for /v1/admin). ' +
          "Changes also need X-CSRF-Token (403 csrf_failed); the user's role limits what it opens (403 forbidden_role).",
      },
      SECURITY.session,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: CSRF_HEADER,
        description:
          'The csrfToken of the console session (GET /v1/console/session), with the cookie on changes',
      },
      SECURITY.csrf,
    );
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorBodyDto, FieldErrorDto],
  });
  return withCsrfOnChanges(document);
}

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** As libs/accounts sets and reads them (session-cookie.policy); http cannot import that lib. */
const SESSION_COOKIE = 'wwb_session';
const CSRF_HEADER = 'X-CSRF-Token';
const UNSAFE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Routes declare the session as one way in (ApiSecurity(SECURITY.session)), for all their methods
 * at once; a change made with the cookie also needs the CSRF header, so on POST/PUT/PATCH/DELETE
 * the requirement becomes cookie AND header.
 */
export function withCsrfOnChanges(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      if (!UNSAFE_METHODS.has(method) || !operation?.security) continue;
      operation.security = operation.security.map((requirement) =>
        SECURITY.session in requirement && !(SECURITY.csrf in requirement)
          ? { ...requirement, [SECURITY.csrf]: [] }
          : requirement,
      );
    }
  }
  return document;
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
