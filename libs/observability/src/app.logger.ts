import { Injectable, LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { RequestContext } from '@wwb/runtime';

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.key',
  '*.secret',
  '*.password',
  '*.apiKey',
  '*.adminApiKey',
  '*.adminKey',
  '*.token',
  '*.csrfToken',
  '*.csrf',
  'req.headers["x-csrf-token"]',
  'headers["x-csrf-token"]',
  'key',
  'secret',
];

export function createPino(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const { requestId, correlationId } = RequestContext.current();
      return requestId || correlationId ? { requestId, correlationId } : {};
    },
  });
}

/**
 * pino JSON logger, also used as Nest's own logger. Each log line carries the request id and
 * correlation id of the request or event being handled.
 */
@Injectable()
export class AppLogger implements LoggerService {
  readonly pino: Logger;

  constructor(config: AppConfig) {
    this.pino = createPino(config.logLevel, 'wwb');
  }

  child(bindings: Record<string, unknown>): Logger {
    return this.pino.child(bindings);
  }

  log(message: unknown, context?: string): void {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.pino.trace({ context }, String(message));
  }
}
