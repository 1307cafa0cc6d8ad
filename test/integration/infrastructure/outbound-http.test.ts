/**
 * OutboundHttpClient against a real HTTP server on 127.0.0.1: reachable only through the
 * allow-list; refused private addresses are never connected to; deadline, decoded size cap,
 * redirects checked hop by hop.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { HostResolver, OutboundHttpClient, OutboundHttpError } from '@wwb/infrastructure';

jest.setTimeout(30_000);

interface Seen {
  url: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let base: string;
let port: number;
const seen: Seen[] = [];

/** Test names: `allowed.test` and `internal.test` both resolve to the local server. */
const resolve: HostResolver = async (hostname) => {
  if (hostname === 'allowed.test' || hostname === 'internal.test')
    return [{ address: '127.0.0.1', family: 4 }];
  if (hostname === 'metadata.test') return [{ address: '169.254.169.254', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/json') {
        res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
        res.end(JSON.stringify({ ok: true, echo: body }));
      } else if (url.pathname === '/gzip-bomb') {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync(Buffer.alloc(200_000)));
      } else if (url.pathname === '/slow-body') {
        res.writeHead(200);
        res.write('x');
        const t = setInterval(() => res.write('x'), 100);
        res.on('close', () => clearInterval(t));
      } else if (url.pathname === '/drip-headers') {
        // The status line, then one header byte every 100 ms: the headers never complete.
        req.socket.write('HTTP/1.1 200 OK\r\nX-Drip: ');
        const t = setInterval(() => req.socket.write('x'), 100);
        req.socket.on('close', () => clearInterval(t));
      } else if (url.pathname === '/slow-redirect') {
        // Each hop answers in 400 ms: within a per-hop timeout, but not within one deadline.
        setTimeout(() => {
          res.writeHead(302, { location: '/slow-redirect' });
          res.end();
        }, 400);
      } else if (url.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' });
        res.end();
      } else if (url.pathname === '/redirect') {
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/json' });
        res.end();
      } else {
        res.writeHead(404);
        res.end('nope');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function failure(p: Promise<unknown>): Promise<OutboundHttpError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OutboundHttpError);
    return err as OutboundHttpError;
  }
  throw new Error('expected the request to fail');
}

describe('with 127.0.0.0/8 allow-listed', () => {
  const client = new OutboundHttpClient({ allowedNetworks: ['127.0.0.0/8'], resolve, timeoutMs: 2000 });
  afterAll(() => client.close());

  it('sends the request and returns status, headers and body', async () => {
    const res = await client.request({
      url: `${base}/json`,
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: 'Bearer t' },
      body: 'hello',
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-multi']).toBe('a, b');
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ ok: true, echo: 'hello' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: 'hello' });
    expect(seen.at(-1)!.headers['user-agent']).toMatch(/WhatsAppWebBot/);
  });

  it('resolves names through the checked lookup', async () => {
    const res = await client.request({ url: `http://allowed.test:${port}/json` });
    expect(res.status).toBe(201);
  });

  it('caps the decoded body (a small gzip that inflates past the cap fails)', async () => {
    const err = await failure(client.request({ url: `${base}/gzip-bomb`, maxResponseBytes: 10_000 }));
    expect(err.code).toBe('too_large');
    const ok = await client.request({ url: `${base}/gzip-bomb`, maxResponseBytes: 300_000 });
    expect(ok.body.length).toBe(200_000);
  });

  it('bounds the whole exchange, body included, by one deadline', async () => {
    const started = Date.now();
    const err = await failure(client.request({ url: `${base}/slow-body`, timeoutMs: 600 }));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('bounds a server dripping header bytes by the same deadline', async () => {
    const started = Date.now();
    const err = await failure(client.request({ url: `${base}/drip-headers`, timeoutMs: 600 }));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('bounds a chain of slow redirects by one deadline, not one per hop', async () => {
    const started = Date.now();
    const err = await failure(
      client.request({ url: `${base}/slow-redirect`, timeoutMs: 1000, maxRedirects: 10 }),
    );
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1800);
  });

  it('stops at once when the caller aborts', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const err = await failure(client.request({ url: `${base}/slow-body`, signal: abort.signal }));
    expect(err.code).toBe('aborted');
  });

  it('returns a redirect as it is by default', async () => {
    const res = await client.request({ url: `${base}/redirect?to=/json` });
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('/json');
  });

  it('follows redirects when asked, dropping credentials on another origin', async () => {
    const to = encodeURIComponent(`http://allowed.test:${port}/json`);
    const res = await client.request({
      url: `${base}/redirect?to=${to}`,
      method: 'POST',
      headers: { authorization: 'Bearer secret' },
      body: 'x',
      maxRedirects: 2,
    });
    expect(res).toMatchObject({ status: 201, redirects: 1, url: `http://allowed.test:${port}/json` });
    const last = seen.at(-1)!;
    expect(last.method).toBe('GET'); // 302 after POST
    expect(last.headers.authorization).toBeUndefined();
    const err = await failure(
      client.request({
        url: `${base}/loop`,
        maxRedirects: 2,
      }),
    );
    expect(err.code).toBe('too_many_redirects');
  });

  it('checks every hop: a redirect to a refused address is not followed', async () => {
    const before = seen.length;
    const to = encodeURIComponent(`http://metadata.test:${port}/json`);
    const err = await failure(client.request({ url: `${base}/redirect?to=${to}`, maxRedirects: 3 }));
    expect(err.code).toBe('ssrf_blocked');
    expect(seen.length).toBe(before + 1); // only the first hop reached the server
  });
});

describe('without an allow-list', () => {
  const client = new OutboundHttpClient({ resolve, timeoutMs: 2000 });
  afterAll(() => client.close());

  it.each([
    ['an IP literal', () => `${base}/json`],
    ['a name resolving to a private address', () => `http://internal.test:${port}/json`],
    ['the cloud metadata address', () => `http://metadata.test:${port}/json`],
    ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${port}/json`],
  ])('refuses %s without connecting', async (_what, url) => {
    const before = seen.length;
    const err = await failure(client.request({ url: url() }));
    expect(err.code).toBe('ssrf_blocked');
    expect(seen.length).toBe(before);
  });

  it('refuses what is not an http(s) URL without credentials', async () => {
    for (const url of ['ftp://example.com/x', 'not a url', 'http://user:pw@example.com/']) {
      expect((await failure(client.request({ url }))).code).toBe('invalid_url');
    }
  });

  it('reports an unknown name as dns_error', async () => {
    expect((await failure(client.request({ url: 'http://nowhere.test/' }))).code).toBe('dns_error');
  });
});
