import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppLogger } from '@wwb/observability';
import { ErrorBody } from './error-body.dto';
import { mapError } from './error-mapping';
import { requestIdOf } from '../requests/request-id';

/**
 * The one exception filter: every error, from a handler, a guard, a pipe, a body parser or the
 * not-found handler, leaves as `{statusCode, code, message, details?, requestId}`. Unexpected
 * errors are logged with their stack and answered with a bare 500.
 */
@Catch()
@Injectable()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const requestId = requestIdOf(req);
    const { body, unexpected, retryAfterSeconds } = mapError(exception);
    if (unexpected) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.pino.error(
        { requestId, method: req.method, path: req.path, err: { message: err.message, stack: err.stack } },
        'unhandled error',
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
    const out: ErrorBody = { ...body, requestId };
    res.status(out.statusCode).json(out);
  }
}
