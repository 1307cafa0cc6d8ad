import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AppError } from '../errors/app.error';
import {
  allowMultipartBody,
  allowStreamBody,
  hasAcceptableCharset,
  isJsonContentType,
  isStreamBodyAllowed,
  jsonBodyMiddleware,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
} from './json-body.middleware';
import { saneId } from './request-id';

describe('content type checks', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['APPLICATION/JSON', true],
    ['application/vnd.api+json', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonp', false],
    [undefined, false],
  ])('isJsonContentType(%p) = %p', (header, expected) => {
    expect(isJsonContentType(header)).toBe(expected);
  });

  it.each([
    ['application/json', true],
    ['application/json; charset=UTF-8', true],
    ['application/json;charset="utf-8"', true],
    ['application/json; charset=utf-16', false],
    ['application/json; charset=latin1', false],
  ])('hasAcceptableCharset(%p) = %p', (header, expected) => {
    expect(hasAcceptableCharset(header)).toBe(expected);
  });
});

describe('saneId', () => {
  it('accepts short plain ids and refuses the rest', () => {
    expect(saneId('req-1.2:3_x')).toBe('req-1.2:3_x');
    expect(saneId(['a', 'b'])).toBe('a');
    expect(saneId('a b')).toBeUndefined();
    expect(saneId('x'.repeat(129))).toBeUndefined();
    expect(saneId('')).toBeUndefined();
    expect(saneId('line\nbreak')).toBeUndefined();
    expect(saneId(undefined)).toBeUndefined();
  });
});

describe('bodies left to the handler (allowStreamBody)', () => {
  allowStreamBody('/spec/import', /^text\/csv$/i);
  allowStreamBody('/spec/import', /^text\/csv$/i);
  allowMultipartBody('/spec/import');
  allowMultipartBody('/spec/upload');
  allowStreamBody('/spec/items/:id/bulk', /^text\/csv$/i);

  it.each([
    ['/spec/import', 'text/csv', true],
    ['/spec/import', 'TEXT/CSV; charset=utf-8', true],
    ['/spec/import', 'multipart/form-data; boundary=x', true],
    ['/spec/import', 'text/plain', false],
    ['/spec/import', 'text/csvx', false],
    ['/spec/import', 'application/json', false],
    ['/spec/import', undefined, false],
    ['/spec/upload', 'multipart/form-data; boundary=x', true],
    ['/spec/upload', 'text/csv', false],
    ['/spec/import/x', 'text/csv', false],
    ['/spec/other', 'text/csv', false],
    ['/spec/items/con_1/bulk', 'text/csv', true],
    ['/spec/items//bulk', 'text/csv', false],
    ['/spec/items/con_1/bulk/x', 'text/csv', false],
    ['/spec/items/con_1/other', 'text/csv', false],
    ['/spec/items/con_1/bulk', 'text/plain', false],
  ])('isStreamBodyAllowed(%p, %p) = %p', (path, type, expected) => {
    expect(isStreamBodyAllowed(path, type)).toBe(expected);
  });

  /** Runs the middleware on a request with a body that nothing reads. */
  function run(path: string, contentType: string): { error: unknown; resumed: boolean } {
    let resumed = false;
    let error: unknown = 'next not called';
    const req = {
      path,
      headers: { 'content-type': contentType, 'content-length': '10' },
      resume: () => {
        resumed = true;
      },
    } as unknown as Request;
    jsonBodyMiddleware(1024)(req, {} as Response, (err?: unknown) => {
      error = err;
    });
    return { error, resumed };
  }

  it('passes a registered type on its path through unread', () => {
    expect(run('/spec/import', 'text/csv; charset=utf-8')).toEqual({ error: undefined, resumed: false });
    expect(run('/spec/upload', 'multipart/form-data; boundary=b')).toEqual({
      error: undefined,
      resumed: false,
    });
  });

  it('answers 415 (and drains the body) for other types and other paths', () => {
    for (const [path, type] of [
      ['/spec/import', 'text/plain'],
      ['/spec/upload', 'text/csv'],
      ['/spec/other', 'text/csv'],
    ] as const) {
      const { error, resumed } = run(path, type);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect(resumed).toBe(true);
    }
  });
});

describe('nesting depth', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it('counts objects and arrays, not brackets inside strings', () => {
    expect(jsonDepthExceeds(Buffer.from(nested(3)), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(nested(4)), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('{"a":{"b":[1,{"c":2}]}}'), 4)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('{"a":{"b":[1,{"c":2}]}}'), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(`{"s":"${'['.repeat(100)}\\"[[["}`), 1)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('[{"a":1},{"b":[2]},[3]]'), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('[{"a":1},{"b":[2]},[3]]'), 2)).toBe(true);
  });

  /** Posts `body` through the middleware into a handler that walks it recursively. */
  async function post(body: string): Promise<{ status: number; code?: string }> {
    const app = express();
    app.use(jsonBodyMiddleware(2 * 1024 * 1024));
    app.post('/x', (req: Request, res: Response) => res.json({ walked: JSON.stringify(req.body).length }));
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const e = err as { status?: number; code?: string };
      res.status(e instanceof AppError ? e.status : 500).json({ code: e.code });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      return await new Promise((resolve, reject) => {
        const req = http.request(
          `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`,
          { method: 'POST', headers: { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString('utf8')));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, ...JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    } finally {
      server.close();
    }
  }

  it(`refuses 100,000 nested arrays with 400 json_too_deep before anything walks them`, async () => {
    await expect(post(`{"a":${nested(100_000)}}`)).resolves.toEqual({ status: 400, code: 'json_too_deep' });
    await expect(post(nested(MAX_JSON_DEPTH + 1))).resolves.toEqual({ status: 400, code: 'json_too_deep' });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels`, async () => {
    await expect(post(nested(MAX_JSON_DEPTH))).resolves.toMatchObject({ status: 200 });
  });
});
