import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@wwb/runtime';
import { AppError } from './app.error';
import { ErrorBody } from './error-body.dto';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  500: 'internal_error',
  501: 'not_implemented',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** The HTTP status of each kind of domain error (use cases do not know HTTP; this is the one map). */
export const STATUS_BY_DOMAIN_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rejected: 422,
  limit_reached: 429,
  unavailable: 503,
  timeout: 504,
};

export const codeForStatus = (status: number): string => CODE_BY_STATUS[status] ?? `http_${status}`;

/** Errors of Express' body parsers carry a `type`; these become typed 4xx errors, never 500. */
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: 'malformed_json',
    message: 'The request body is not valid JSON',
  },
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'The request body is too large' },
  'entity.verify.failed': { status: 400, code: 'malformed_json', message: 'The request body was rejected' },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Unsupported content encoding',
  },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', message: 'Unsupported charset' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'The request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'bad_request',
    message: 'The request body does not match its Content-Length',
  },
  'parameters.too.many': { status: 413, code: 'payload_too_large', message: 'Too many parameters' },
};

/** Maps a body-parser error to an AppError, or returns undefined when it is not one. */
export function bodyParserError(err: unknown, limitBytes?: number): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const type = (err as { type?: unknown }).type;
  if (typeof type !== 'string') return undefined;
  const known = BODY_PARSER_ERRORS[type];
  if (!known) return undefined;
  const details = type === 'entity.too.large' && limitBytes ? { limitBytes } : undefined;
  return new AppError(known.status, known.code, known.message, details);
}

export interface MappedError {
  body: Omit<ErrorBody, 'requestId'>;
  /** True when the error is unexpected (500) and must be logged with its stack. */
  unexpected: boolean;
  /** Retry-After (seconds) for a 429 whose details carry `retryAfterSeconds` (quota limits). */
  retryAfterSeconds?: number;
}

/**
 * Turns anything thrown into the one error body. HttpExceptions keep their status; a `code`
 * in their response object wins over the status-derived code. Anything unknown is a 500 whose
 * body says nothing about the internals.
 */
export function mapError(err: unknown): MappedError {
  if (err instanceof AppError) {
    return {
      body: withDetails(err.status, err.code, err.message, err.details),
      unexpected: err.status >= 500,
      ...retryAfterOf(err.status, err.details),
    };
  }
  if (err instanceof DomainError) {
    const status = STATUS_BY_DOMAIN_KIND[err.kind];
    return {
      body: withDetails(status, err.code, err.message, err.details),
      unexpected: status >= 500,
      ...retryAfterOf(status, err.details),
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    let message = err.message;
    let code = codeForStatus(status);
    let details: unknown;
    if (typeof response === 'object' && response !== null) {
      const r = response as { message?: unknown; code?: unknown; details?: unknown };
      if (typeof r.code === 'string') code = r.code;
      if (typeof r.message === 'string') message = r.message;
      else if (Array.isArray(r.message)) {
        message = 'Request validation failed';
        details = r.message;
      }
      if (r.details !== undefined) details = r.details;
    } else if (typeof response === 'string') {
      message = response;
    }
    return { body: withDetails(status, code, message, details), unexpected: status >= 500 };
  }
  const parserError = bodyParserError(err);
  if (parserError) return mapError(parserError);
  return {
    body: {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'internal_error',
      message: 'Internal server error',
    },
    unexpected: true,
  };
}

/** A 429 telling when to come back in its details (`retryAfterSeconds`) gets a Retry-After header too. */
function retryAfterOf(status: number, details: unknown): { retryAfterSeconds?: number } {
  if (status !== 429 || typeof details !== 'object' || details === null) return {};
  const seconds = (details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? { retryAfterSeconds: Math.ceil(seconds) }
    : {};
}

function withDetails(
  statusCode: number,
  code: string,
  message: string,
  details: unknown,
): MappedError['body'] {
  return details === undefined ? { statusCode, code, message } : { statusCode, code, message, details };
}
