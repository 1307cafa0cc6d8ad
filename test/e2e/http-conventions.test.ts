import { request as httpRequest } from 'node:http';
import { connect, createServer } from 'node:net';
import request from 'supertest';
import { MetricsListenerService } from '@wwb/http';
import { TEST_METRICS_TOKEN } from '@wwb/testing';
import { accountWithKey, admin, bearer, E2eApp, startApi } from './support/e2e-app';

const BODY_LIMIT = 2048;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control of headers and framing (supertest would fix up some of them). */
function raw(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function expectErrorBody(body: Record<string, unknown>, status: number, code: string): void {
  expect(body).toMatchObject({ statusCode: status, code });
  expect(typeof body.message).toBe('string');
  expect(typeof body.requestId).toBe('string');
  expect((body.requestId as string).length).toBeGreaterThan(0);
  for (const key of Object.keys(body))
    expect(['statusCode', 'code', 'message', 'details', 'requestId']).toContain(key);
  expect(JSON.stringify(body)).not.toMatch(/stack|node_modules|\.ts:\d+/);
}

describe('HTTP conventions (e2e)', () => {
  let api: E2eApp;
  let key: string;

  beforeAll(async () => {
    api = await startApi({ HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT), HTTP_KEEP_ALIVE_TIMEOUT_MS: '1500' });
    key = (await accountWithKey(api.http, 'enterprise')).key;
  });
  afterAll(() => api.close());

  it('keeps an idle keep-alive connection open for HTTP_KEEP_ALIVE_TIMEOUT_MS, then closes it', async () => {
    expect(api.app.getHttpServer().keepAliveTimeout).toBe(1500);
    const socket = connect(Number(new URL(api.baseUrl).port), '127.0.0.1');
    let received = '';
    let closedAt = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => (closedAt = Date.now()));
    const answered = async (n: number) => {
      while ((received.match(/HTTP\/1\.1 200/g) ?? []).length < n)
        await new Promise((r) => setTimeout(r, 10));
      return Date.now();
    };
    const get = 'GET /health/live HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n';
    socket.write(get);
    await answered(1);
    // Idle for 1 s: still open.
    await new Promise((r) => setTimeout(r, 1000));
    expect(closedAt).toBe(0);
    socket.write(get);
    const last = await answered(2);
    while (!closedAt && Date.now() - last < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(closedAt - last).toBeGreaterThanOrEqual(1400);
    expect(closedAt - last).toBeLessThan(3000);
  });

  describe('bad input is 4xx with the one error body, never 500', () => {
    it('unknown field → 400 validation_failed naming the field', async () => {
      const res = await api.http
        .post('/v1/api-keys')
        .set(bearer(key))
        .send({ name: 'x', admin: true })
        .expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(res.body.details).toEqual([{ field: 'admin', messages: ['property admin should not exist'] }]);
    });

    it('wrong types → 400 validation_failed with one entry per field', async () => {
      const res = await api.http
        .post('/v1/admin/accounts')
        .set(admin)
        .send({ name: 42, plan: 'gold' })
        .expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'plan']);
    });

    it('a JSON array, a JSON string or no body at all → 400, not 500', async () => {
      for (const body of ['[1,2]', '[]', '"text"', 'null', '42']) {
        const res = await raw(
          api.baseUrl,
          'POST',
          '/v1/admin/accounts',
          { ...admin, 'Content-Type': 'application/json' },
          body,
        );
        expect(res.status).toBe(400);
        expectErrorBody(JSON.parse(res.body), 400, JSON.parse(res.body).code);
        expect(['validation_failed', 'malformed_json']).toContain(JSON.parse(res.body).code);
      }
      const empty = await api.http.post('/v1/admin/accounts').set(admin).expect(400);
      expectErrorBody(empty.body, 400, 'validation_failed');
    });

    it('malformed JSON → 400 malformed_json', async () => {
      const res = await api.http
        .post('/v1/admin/accounts')
        .set(admin)
        .set('Content-Type', 'application/json')
        .send('{"name": "x", plan: }')
        .expect(400);
      expectErrorBody(res.body, 400, 'malformed_json');
    });

    it('oversized body → 413 payload_too_large (with and without Content-Length)', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT * 2), plan: 'starter' });
      const res = await api.http.post('/v1/admin/accounts').set(admin).send(JSON.parse(big)).expect(413);
      expectErrorBody(res.body, 413, 'payload_too_large');
      expect(res.body.details).toEqual({ limitBytes: BODY_LIMIT });

      const chunked = await raw(
        api.baseUrl,
        'POST',
        '/v1/admin/accounts',
        { ...admin, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        big,
      );
      expect(chunked.status).toBe(413);
      expectErrorBody(JSON.parse(chunked.body), 413, 'payload_too_large');
    });

    it('wrong content type → 415 unsupported_media_type', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await raw(
          api.baseUrl,
          'POST',
          '/v1/api-keys',
          { ...bearer(key), 'Content-Type': type },
          'name=x',
        );
        expect(res.status).toBe(415);
        expectErrorBody(JSON.parse(res.body), 415, 'unsupported_media_type');
      }
      const noType = await raw(api.baseUrl, 'POST', '/v1/api-keys', bearer(key), '{"name":"x"}');
      expect(noType.status).toBe(415);
      const utf16 = await raw(
        api.baseUrl,
        'POST',
        '/v1/api-keys',
        { ...bearer(key), 'Content-Type': 'application/json; charset=utf-16' },
        '{"name":"x"}',
      );
      expect(utf16.status).toBe(415);
      expectErrorBody(JSON.parse(utf16.body), 415, 'unsupported_media_type');
      // A vendor +json type is JSON.
      await raw(
        api.baseUrl,
        'POST',
        '/v1/api-keys',
        { ...bearer(key), 'Content-Type': 'application/vnd.api+json' },
        '{"name":"x"}',
      ).then((r) => expect(r.status).toBe(201));
    });

    it('unknown route or method → 404 not_found', async () => {
      for (const [method, path] of [
        ['GET', '/nope'],
        ['GET', '/v1'],
        ['PUT', '/v1/api-keys'],
        ['POST', '/v1/account'],
        ['GET', '/v1/admin/accounts/x/y/z'],
      ] as const) {
        const res = await raw(api.baseUrl, method, path, bearer(key));
        expect(res.status).toBe(404);
        expectErrorBody(JSON.parse(res.body), 404, 'not_found');
      }
    });

    it('a bad percent-encoding in the path → 400, not 500', async () => {
      const res = await raw(api.baseUrl, 'DELETE', '/v1/api-keys/%E0%A4%A', bearer(key));
      expect(res.status).toBe(400);
      expectErrorBody(JSON.parse(res.body), 400, 'bad_request');
    });
  });

  describe('request ids', () => {
    it('echoes a sane X-Request-Id and X-Correlation-Id, and puts the request id in error bodies', async () => {
      const res = await api.http
        .get('/v1/account')
        .set('X-Request-Id', 'req-abc.123')
        .set('X-Correlation-Id', 'corr-42')
        .expect(401);
      expect(res.headers['x-request-id']).toBe('req-abc.123');
      expect(res.headers['x-correlation-id']).toBe('corr-42');
      expect(res.body.requestId).toBe('req-abc.123');
    });

    it('replaces an insane request id and defaults the correlation id to the request id', async () => {
      const res = await api.http.get('/health/live').set('X-Request-Id', 'bad id <script>').expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['x-correlation-id']).toBe(res.headers['x-request-id']);
      const long = await api.http.get('/health/live').set('X-Request-Id', 'a'.repeat(200)).expect(200);
      expect(long.headers['x-request-id']).not.toBe('a'.repeat(200));
    });
  });

  describe('health, metrics, docs', () => {
    it('/health/live is 200', async () => {
      expect((await api.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    });

    it('/health/ready reports Mongo and Kafka up, with details for the metrics token only', async () => {
      const open = await api.http.get('/health/ready').expect(200);
      expect(open.body).toEqual({ status: 'ok' });
      const wrong = await api.http.get('/health/ready').set(bearer('not-the-metrics-token')).expect(200);
      expect(wrong.body).toEqual({ status: 'ok' });
      const res = await api.http.get('/health/ready').set(bearer(TEST_METRICS_TOKEN)).expect(200);
      expect(res.body).toMatchObject({ status: 'ok', checks: { mongo: { up: true }, kafka: { up: true } } });
    });

    it('/metrics is 401 without the metrics token (an API key or the operator key is not it)', async () => {
      for (const headers of [{}, bearer('wrong-token-0123456789'), bearer(key), admin]) {
        const res = await api.http.get('/metrics').set(headers).expect(401);
        expectErrorBody(res.body, 401, 'invalid_metrics_token');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(res.text).not.toContain('wwb_');
      }
    });

    it('/metrics has the HTTP latency histogram labelled by route pattern, and process metrics', async () => {
      const acc = await accountWithKey(api.http);
      await api.http.get('/v1/account').set(bearer(acc.key)).expect(200);
      await api.http.delete('/v1/api-keys/key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8').set(bearer(acc.key)).expect(404);
      const res = await api.http.get('/metrics').set(bearer(TEST_METRICS_TOKEN)).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('# TYPE wwb_http_request_duration_seconds histogram');
      expect(res.text).toMatch(
        /wwb_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/v1\/account",status="200"\}/,
      );
      expect(res.text).toContain('route="/v1/api-keys/:id",status="404"');
      expect(res.text).not.toContain('key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8');
      expect(res.text).toContain('wwb_process_cpu_seconds_total');
    });

    it('/docs/openapi.json is OpenAPI 3 with every path, both auth schemes, the admin scheme and the error body', async () => {
      const res = await api.http.get('/docs/openapi.json').expect(200);
      const doc = res.body as {
        openapi: string;
        paths: Record<
          string,
          Record<string, { security?: Record<string, string[]>[]; responses: Record<string, unknown> }>
        >;
        components: {
          securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }>;
          schemas: Record<string, unknown>;
        };
      };
      expect(doc.openapi).toMatch(/^3\./);
      const expected: Record<string, string[]> = {
        '/health/live': ['get'],
        '/health/ready': ['get'],
        '/metrics': ['get'],
        '/v1/admin/accounts': ['get', 'post'],
        '/v1/admin/accounts/{id}': ['get', 'patch'],
        '/v1/admin/accounts/{id}/api-keys': ['post'],
        '/v1/account': ['get'],
        '/v1/api-keys': ['get', 'post'],
        '/v1/api-keys/{id}': ['delete'],
      };
      for (const [path, methods] of Object.entries(expected)) {
        expect(Object.keys(doc.paths[path] ?? {}).sort()).toEqual(methods.sort());
      }
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.components.securitySchemes.apiKey).toMatchObject({
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
      });
      expect(doc.components.securitySchemes.admin).toMatchObject({ type: 'http', scheme: 'bearer' });
      // The console's way in: the session cookie, with the CSRF header on every change.
      expect(doc.components.securitySchemes.session).toMatchObject({
        type: 'apiKey',
        in: 'cookie',
        name: 'wwb_session',
      });
      expect(doc.components.securitySchemes.csrf).toMatchObject({
        type: 'apiKey',
        in: 'header',
        name: 'X-CSRF-Token',
      });
      expect(doc.paths['/v1/account']!.get!.security).toEqual([
        { bearer: [] },
        { apiKey: [] },
        { session: [] },
      ]);
      expect(doc.paths['/v1/admin/accounts']!.post!.security).toEqual([
        { admin: [] },
        { session: [], csrf: [] },
      ]);
      expect(doc.components.schemas.ErrorBodyDto).toBeDefined();
      expect(JSON.stringify(doc.paths['/v1/api-keys']!.post!.responses['429'])).toContain('ErrorBodyDto');
      expect(JSON.stringify(doc.paths['/v1/api-keys']!.post!.responses['415'])).toContain('ErrorBodyDto');
      expect(doc.components.schemas.CreateApiKeyDto).toBeDefined();
      expect(doc.components.schemas.CreatedApiKeyDto).toBeDefined();

      const ui = await api.http.get('/docs').redirects(1).expect(200);
      expect(ui.text).toContain('swagger-ui');
    });
  });
});

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('metrics access by default and with METRICS_PORT (e2e)', () => {
  it('without METRICS_TOKEN nothing reads /metrics or the readiness details on the API port; /health/live stays open', async () => {
    const api = await startApi({ METRICS_TOKEN: '' });
    try {
      await api.http.get('/health/live').expect(200, { status: 'ok' });
      expect((await api.http.get('/health/ready').expect(200)).body).toEqual({ status: 'ok' });
      expect((await api.http.get('/health/ready').set(bearer('')).expect(200)).body).toEqual({
        status: 'ok',
      });
      for (const headers of [{}, bearer(TEST_METRICS_TOKEN), admin]) {
        const res = await api.http.get('/metrics').set(headers).expect(401);
        expect(res.body.code).toBe('invalid_metrics_token');
      }
      expect(api.app.get(MetricsListenerService).address()).toBeUndefined();
    } finally {
      await api.close();
    }
  });

  it('METRICS_PORT serves /metrics and the readiness details without a token, and nothing else', async () => {
    const port = await freePort();
    const api = await startApi({ METRICS_TOKEN: '', METRICS_PORT: String(port) });
    try {
      expect(api.app.get(MetricsListenerService).address()?.port).toBe(port);
      const side = request(`http://127.0.0.1:${port}`);
      const metrics = await side.get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toContain('wwb_process_cpu_seconds_total');
      const ready = await side.get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        checks: { mongo: { up: true }, kafka: { up: true } },
      });
      await side.get('/v1/account').expect(404);
      await side.post('/metrics').expect(404);
      await api.http.get('/metrics').expect(401);
    } finally {
      await api.close();
    }
    await expect(request(`http://127.0.0.1:${port}`).get('/metrics')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('deeply nested JSON (e2e)', () => {
  let api: E2eApp;
  let key: string;

  beforeAll(async () => {
    api = await startApi({ HTTP_BODY_LIMIT_BYTES: String(1024 * 1024) });
    key = (await accountWithKey(api.http, 'enterprise')).key;
  });
  afterAll(() => api.close());

  it('100,000 nested arrays → 400 json_too_deep, not a stack overflow; the API still answers', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const body of [deep, `{"name":${deep}}`]) {
      const res = await raw(
        api.baseUrl,
        'POST',
        '/v1/api-keys',
        { ...bearer(key), 'Content-Type': 'application/json' },
        body,
      );
      expect(res.status).toBe(400);
      expectErrorBody(JSON.parse(res.body), 400, 'json_too_deep');
    }
    await api.http.post('/v1/api-keys').set(bearer(key)).send({ name: 'after' }).expect(201);
  });
});
