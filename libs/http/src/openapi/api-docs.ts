import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorBodyDto } from '../errors/error-body.dto';

/** Names of the OpenAPI security schemes (used by the auth decorators of domain libs). */
export const SECURITY = {
  /** `Authorization: Bearer <api key>` */
  bearer: 'bearer',
  /** `X-API-Key: <api key>` */
  apiKey: 'apiKey',
  /** `Authorization: Bearer <ADMIN_API_KEY>` (X-API-Key is accepted too) */
  admin: 'admin',
  /** `Authorization: Bearer <METRICS_TOKEN>` (/metrics, readiness details) */
  metrics: 'metrics',
  /** The console's session cookie `wwb_session` (a user's, or the operator's for /v1/admin) */
  session: 'session',
  /**
   * `X-CSRF-Token: <csrfToken of the session>`, required with the session cookie on
   * POST/PUT/PATCH/DELETE; the document builder pairs it with `session` on those operations.
   */
  csrf: 'csrf',
} as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed (details list the fields), malformed_json, bad_request',
  401:
    'missing_api_key, invalid_api_key, invalid_admin_key, invalid_metrics_token, or not_signed_in ' +
    '(a console session cookie that is missing, ended or expired)',
  403:
    "account_disabled, plan_limit_exceeded, forbidden_scope, forbidden_role (the console user's role may not " +
    'do this) or csrf_failed (a change with the console session cookie but without its X-CSRF-Token)',
  404: 'not_found (also for resources of other accounts)',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type (bodies must be application/json)',
  429:
    'rate_limited, too_many_auth_failures, or a plan limit of things held for a while: too_many_pending_messages, ' +
    'too_many_streams, too_many_media_fetches, too_many_webhook_jobs (details {resource, plan, limit}; see the Retry-After header)',
  500: 'internal_error',
  503: 'service_unavailable',
};

const ERROR_HEADERS: Record<
  number,
  Record<string, { description: string; schema: { type: 'string' | 'integer' } }>
> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  429: {
    'Retry-After': { description: 'Seconds until the key may send again', schema: { type: 'integer' } },
    'X-RateLimit-Limit': {
      description: 'Requests per key per rate-limit window, over all API processes',
      schema: { type: 'integer' },
    },
    'X-RateLimit-Remaining': { description: 'Requests left in the window (0)', schema: { type: 'integer' } },
  },
};

/**
 * Documents error responses (all with the one error body) on an endpoint or a controller. The
 * content type is given explicitly: with `type` the generator would list the error body under the
 * route's @ApiProduces types (text/event-stream, text/csv, image/png), while errors are always JSON.
 */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'error',
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } },
        ...(ERROR_HEADERS[status] ? { headers: ERROR_HEADERS[status] } : {}),
      }),
    ),
  );
}

/** The errors any request can meet before it reaches a handler. */
export const COMMON_ERRORS = [500] as const;
/** The extra errors of a request that carries a JSON body. */
export const BODY_ERRORS = [400, 413, 415] as const;
