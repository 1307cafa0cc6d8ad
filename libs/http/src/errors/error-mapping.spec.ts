import { BadRequestException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { DomainError } from '@wwb/runtime';
import { AppError } from './app.error';
import { bodyParserError, codeForStatus, mapError } from './error-mapping';

describe('mapError', () => {
  it('keeps an AppError as it is', () => {
    expect(mapError(new AppError(403, 'plan_limit_exceeded', 'no', { limit: 1 }))).toEqual({
      body: { statusCode: 403, code: 'plan_limit_exceeded', message: 'no', details: { limit: 1 } },
      unexpected: false,
    });
    expect(mapError(new AppError(404, 'not_found', 'gone')).body).not.toHaveProperty('details');
  });

  it('derives the code of an HttpException from its status', () => {
    expect(mapError(new NotFoundException('Cannot GET /x')).body).toEqual({
      statusCode: 404,
      code: 'not_found',
      message: 'Cannot GET /x',
    });
    expect(mapError(new ForbiddenException()).body.code).toBe('forbidden');
    expect(mapError(new HttpException('teapot', 418)).body).toEqual({
      statusCode: 418,
      code: 'http_418',
      message: 'teapot',
    });
  });

  it('uses a code and details given in the HttpException response', () => {
    const err = new HttpException({ code: 'custom', message: 'm', details: ['d'] }, 409);
    expect(mapError(err).body).toEqual({ statusCode: 409, code: 'custom', message: 'm', details: ['d'] });
  });

  it("turns Nest's default validation messages into details", () => {
    const err = new BadRequestException(['name must be a string']);
    expect(mapError(err).body).toMatchObject({ code: 'bad_request', details: ['name must be a string'] });
  });

  it('maps body-parser errors to typed 4xx', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
    });
    expect(mapError(tooLarge).body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
    expect(bodyParserError(tooLarge, 1024)?.details).toEqual({ limitBytes: 1024 });
    const parse = Object.assign(new SyntaxError('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(mapError(parse).body).toMatchObject({ statusCode: 400, code: 'malformed_json' });
    const charset = Object.assign(new Error('x'), { type: 'charset.unsupported' });
    expect(mapError(charset).body).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
    expect(bodyParserError(Object.assign(new Error('x'), { type: 'something.else' }))).toBeUndefined();
    expect(bodyParserError('text')).toBeUndefined();
  });

  it('answers anything else with a bare 500 and flags it for logging', () => {
    const mapped = mapError(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(mapped).toEqual({
      body: { statusCode: 500, code: 'internal_error', message: 'Internal server error' },
      unexpected: true,
    });
    expect(mapError('a string').unexpected).toBe(true);
    expect(mapError(undefined).body.code).toBe('internal_error');
  });

  it('gives a 429 domain error whose details say when to come back a Retry-After, and no other error', () => {
    const limited = new DomainError('limit_reached', 'too_many_pending_messages', 'wait', {
      resource: 'pendingMessages',
      limit: 5,
      retryAfterSeconds: 4.2,
    });
    expect(mapError(limited)).toMatchObject({
      body: { statusCode: 429, code: 'too_many_pending_messages' },
      retryAfterSeconds: 5,
    });
    expect(mapError(new DomainError('limit_reached', 'x', 'm', { limit: 1 }))).not.toHaveProperty(
      'retryAfterSeconds',
    );
    expect(
      mapError(new DomainError('forbidden', 'plan_limit_exceeded', 'm', { retryAfterSeconds: 3 })),
    ).not.toHaveProperty('retryAfterSeconds');
  });

  it('flags 5xx HttpExceptions as unexpected', () => {
    expect(mapError(new HttpException('down', 503)).unexpected).toBe(true);
    expect(codeForStatus(503)).toBe('service_unavailable');
  });
});
