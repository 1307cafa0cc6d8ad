/**
 * A typed domain error: the HTTP status, a stable machine-readable `code` (snake_case) and a
 * human message. The global filter turns it into `{statusCode, code, message, details?, requestId}`.
 * Throw it from services; never put secrets or internals in `message` or `details`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what = 'Resource'): AppError {
    return new AppError(404, 'not_found', `${what} not found`);
  }
}
