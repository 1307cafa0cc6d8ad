import http from 'node:http';
import { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { AppConfig } from '@wwb/config';
import { DnsResolver } from './dns.resolver';
import { SsrfGuard } from './ssrf.guard';
import { RESPONSE_BODY_LIMIT, WebhookHttpClient, WebhookResult } from './webhook-http.client';

/**
 * Multi-member gzip: 16 members of 64 MiB of zeros each, about 1 MiB on the wire (under the
 * 1 MiB drain limit), 1 GiB once decoded: seconds of CPU if it were decoded to the end.
 */
function gzipBomb(): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: 16 }, () => member));
}

let server: http.Server;
let base: string;
let hits = 0;
let bomb: Buffer;

beforeAll(async () => {
  bomb = gzipBomb();
  server = http.createServer((req, res) => {
    hits++;
    req.resume();
    switch (req.url) {
      case '/bomb':
        res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
        return;
      case '/gzip':
        res.writeHead(400, { 'content-encoding': 'gzip' }).end(zlib.gzipSync('{"error":"nope"}'));
        return;
      case '/big':
        res.writeHead(500).end('y'.repeat(100_000));
        return;
      default:
        res.writeHead(204).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('WebhookHttpClient', () => {
  const config = { webhooks: { allowedNetworks: ['127.0.0.0/8'] } } as unknown as AppConfig;
  const client = new WebhookHttpClient(new SsrfGuard(config, new DnsResolver()), config);
  afterAll(() => client.onApplicationShutdown());

  const send = (path: string, headers: Record<string, string> = {}): Promise<WebhookResult> =>
    client.send({ url: `${base}${path}`, headers, body: '{}', timeoutMs: 3000 });

  it('returns a header node refuses to send as a failed attempt (no throw, nothing sent)', async () => {
    const before = hits;
    const result = await send('/ok', { 'X-Tenant': 'caf\u20ac' });
    expect(result).toMatchObject({ kind: 'error', code: 'invalid_request' });
    expect(hits).toBe(before);
    await expect(send('/ok', { 'X-Tenant': 'ok' })).resolves.toMatchObject({ statusCode: 204 });
  });

  it('decodes a compressed answer', async () => {
    await expect(send('/gzip')).resolves.toMatchObject({ statusCode: 400, body: '{"error":"nope"}' });
  });

  it('keeps the first 4 KB of a long answer', async () => {
    const result = await send('/big');
    expect(result).toMatchObject({ kind: 'response', statusCode: 500 });
    expect(result.kind === 'response' && result.body).toBe('y'.repeat(RESPONSE_BODY_LIMIT));
  });

  it('stops decoding a gzip bomb at the cap: the answer is read at once', async () => {
    const started = performance.now();
    const result = await send('/bomb');
    const ms = performance.now() - started;
    expect(result).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(result.kind === 'response' && result.body).toBe('\0'.repeat(RESPONSE_BODY_LIMIT));
    // Decoding the whole GiB takes seconds (past the 3 s timeout); the first 4 KB, milliseconds.
    expect(ms).toBeLessThan(1000);
  });
});
