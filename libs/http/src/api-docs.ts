import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

/** Names of the OpenAPI security schemes (used by the auth decorators of domain libs). */
export const SECURITY = {
  /** `Authorization: Bearer <api key>` */
  bearer: 'bearer',
  /** `X-API-Key: <api key>` */
  apiKey: 'apiKey',
  /** `Authorization: Bearer <ADMIN_API_KEY>` (X-API-Key is accepted too) */
  admin: 'admin',
} as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed (details list the fields), malformed_json, bad_request',
  401: 'missing_api_key, invalid_api_key or invalid_admin_key',
  403: 'account_disabled, plan_limit_exceeded or forbidden_scope',
  404: 'not_found (also for resources of other accounts)',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type (bodies must be application/json)',
  429: 'rate_limited (see the Retry-After header)',
  500: 'internal_error',
  503: 'service_unavailable',
};

/** Documents error responses (all with the one error body) on an endpoint or a controller. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto),
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'error', type: ErrorBodyDto }),
    ),
  );
}

/** The errors any request can meet before it reaches a handler. */
export const COMMON_ERRORS = [500] as const;
/** The extra errors of a request that carries a JSON body. */
export const BODY_ERRORS = [400, 413, 415] as const;
