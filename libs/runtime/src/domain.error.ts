/**
 * What went wrong, in words every transport understands. A use case throws a DomainError and
 * never knows who called it: the HTTP filter maps the kind to a status (`invalid` 400,
 * `forbidden` 403, `not_found` 404, `conflict` 409, `too_large` 413, `unsupported` 415,
 * `rejected` 422, `limit_reached` 429, `unavailable` 503, `timeout` 504); a Kafka consumer retries
 * what is `transient` and dead-letters (or records as failed) the rest.
 */
export const DOMAIN_ERROR_KINDS = [
  'invalid',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'unsupported',
  'rejected',
  'limit_reached',
  'unavailable',
  'timeout',
] as const;

export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

/** Kinds that may succeed if the same thing is tried again later. */
const TRANSIENT: ReadonlySet<DomainErrorKind> = new Set(['unavailable', 'timeout', 'limit_reached']);

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine-readable snake_case code (`template_in_use`, `invalid_regex`, ...). */
    readonly code: string,
    message: string,
    /** Structured detail for the caller (never secrets or internals). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }

  static notFound(what: string, code = 'not_found'): DomainError {
    return new DomainError('not_found', code, `${what} not found`);
  }

  static invalid(code: string, message: string, details?: unknown): DomainError {
    return new DomainError('invalid', code, message, details);
  }

  static conflict(code: string, message: string, details?: unknown): DomainError {
    return new DomainError('conflict', code, message, details);
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
