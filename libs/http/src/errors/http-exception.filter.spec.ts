import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import type { AppLogger } from '@wwb/observability';
import { AppError } from './app.error';
import { HttpExceptionFilter } from './http-exception.filter';
import { attachContext } from '../requests/request-id';

function host(headersSent = false) {
  const req = { method: 'GET', path: '/x' };
  attachContext(req as never, { requestId: 'req-1', correlationId: 'req-1' });
  const res = {
    headersSent,
    statusCode: 0,
    body: undefined as unknown,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
    end: jest.fn(),
  };
  const h = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  return { h, res };
}

describe('HttpExceptionFilter', () => {
  const error = jest.fn();
  const filter = new HttpExceptionFilter({ pino: { error } } as unknown as AppLogger);
  beforeEach(() => error.mockClear());

  it('answers a typed error with the one body and the request id, without logging it', () => {
    const { h, res } = host();
    filter.catch(new AppError(403, 'plan_limit_exceeded', 'full', { limit: 1 }), h);
    expect(res.statusCode).toBe(403);
    expect(res.body).toEqual({
      statusCode: 403,
      code: 'plan_limit_exceeded',
      message: 'full',
      details: { limit: 1 },
      requestId: 'req-1',
    });
    filter.catch(new NotFoundException('Cannot GET /x'), h);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found', requestId: 'req-1' });
    expect(error).not.toHaveBeenCalled();
  });

  it('logs an unexpected error with its stack and answers a bare 500', () => {
    const { h, res } = host();
    filter.catch(new Error('connection string mongodb://user:pw@db/x is bad'), h);
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({
      statusCode: 500,
      code: 'internal_error',
      message: 'Internal server error',
      requestId: 'req-1',
    });
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({
        requestId: 'req-1',
        err: expect.objectContaining({ stack: expect.any(String) }),
      }),
      'unhandled error',
    );
  });

  it('only ends the response when headers were already sent', () => {
    const { h, res } = host(true);
    filter.catch(new Error('late'), h);
    expect(res.end).toHaveBeenCalled();
    expect(res.body).toBeUndefined();
  });
});
