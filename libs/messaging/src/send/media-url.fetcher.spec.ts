import http from 'node:http';
import { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { AppConfig } from '@wwb/config';
import { DomainError } from '@wwb/runtime';
import { MediaUrlFetcher, splitAllowList } from './media-url.fetcher';

const MAX_BYTES = 2048;
let server: http.Server;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const [path, query] = (req.url ?? '/').split('?');
    switch (path) {
      case '/files/my%20pic.png':
        res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.from('png-bytes'));
        return;
      case '/blob':
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end('x');
        return;
      case '/empty':
        res.writeHead(200, { 'Content-Type': 'image/png' }).end();
        return;
      case '/bomb': // small on the wire, past the cap once decoded
        res
          .writeHead(200, { 'Content-Type': 'image/png', 'Content-Encoding': 'gzip' })
          .end(zlib.gzipSync(Buffer.alloc(MAX_BYTES + 1)));
        return;
      case '/slow':
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.write('a');
        return; // never ends
      case '/files/bad%zz.png':
      case '/files/line%0Abreak.png':
        res.writeHead(200, { 'Content-Type': 'image/png' }).end('png');
        return;
      case '/redirect':
        res.writeHead(302, { Location: decodeURIComponent(query!.slice('to='.length)) }).end();
        return;
      case '/loop':
        res.writeHead(302, { Location: '/loop' }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function fetcher(allow: string[]): MediaUrlFetcher {
  const config = {
    media: { maxBytes: MAX_BYTES, urlAllowPrivateHosts: allow, urlTimeoutMs: 500 },
  } as unknown as AppConfig;
  return new MediaUrlFetcher(config);
}

async function code(f: MediaUrlFetcher, url: string): Promise<string> {
  try {
    await f.fetch(new URL(url));
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).code;
  }
  throw new Error(`expected ${url} to fail`);
}

describe('splitAllowList', () => {
  it('takes host names apart from IPs and CIDRs', () => {
    expect(splitAllowList([' media.internal ', '127.0.0.1', '10.0.0.0/8', '[::1]', 'fd00::/8', ''])).toEqual({
      hosts: ['media.internal'],
      networks: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'],
    });
  });
});

describe('MediaUrlFetcher', () => {
  const allowed = fetcher(['127.0.0.1']);
  const strict = fetcher([]);
  const byName = fetcher(['LOCALHOST']);
  afterAll(() => [allowed, strict, byName].forEach((f) => f.onApplicationShutdown()));

  it('fetches an allow-listed address: body, content type and the decoded file name', async () => {
    await expect(allowed.fetch(new URL(`http://127.0.0.1:${port}/files/my%20pic.png`))).resolves.toEqual({
      data: Buffer.from('png-bytes'),
      mimetype: 'image/png',
      filename: 'my pic.png',
    });
    const blob = await allowed.fetch(new URL(`http://127.0.0.1:${port}/blob`));
    expect(blob).toEqual({ data: Buffer.from('x'), filename: 'blob' });
  });

  it('names the file after the last hop of a redirect', async () => {
    const to = encodeURIComponent('/files/my%20pic.png');
    const got = await allowed.fetch(new URL(`http://127.0.0.1:${port}/redirect?to=${to}`));
    expect(got.filename).toBe('my pic.png');
  });

  it('refuses a name at the end of a redirect with malformed escapes or control characters (400)', async () => {
    for (const target of ['/files/bad%zz.png', '/files/line%0Abreak.png']) {
      const to = encodeURIComponent(target);
      expect(await code(allowed, `http://127.0.0.1:${port}/redirect?to=${to}`)).toBe('invalid_media_url');
    }
  });

  it('refuses private addresses unless allow-listed, without connecting', async () => {
    const before = hits.length;
    expect(await code(strict, `http://127.0.0.1:${port}/files/my%20pic.png`)).toBe('media_url_forbidden');
    expect(await code(strict, `http://localhost:${port}/files/my%20pic.png`)).toBe('media_url_forbidden');
    expect(hits.length).toBe(before);
  });

  it('trusts an allow-listed host name (any case) whatever it resolves to', async () => {
    const got = await byName.fetch(new URL(`http://localhost:${port}/files/my%20pic.png`));
    expect(got.mimetype).toBe('image/png');
    expect(await code(byName, `http://127.0.0.1:${port}/files/my%20pic.png`)).toBe('media_url_forbidden');
  });

  it('checks every redirect hop and stops after 3 redirects', async () => {
    const before = hits.length;
    const to = encodeURIComponent('http://169.254.169.254/latest/meta-data');
    expect(await code(allowed, `http://127.0.0.1:${port}/redirect?to=${to}`)).toBe('media_url_forbidden');
    expect(hits.length).toBe(before + 1);
    expect(await code(allowed, `http://127.0.0.1:${port}/loop`)).toBe('media_fetch_failed');
    expect(hits.length).toBe(before + 1 + 4);
    const ftp = encodeURIComponent('ftp://example.com/a.png');
    expect(await code(allowed, `http://127.0.0.1:${port}/redirect?to=${ftp}`)).toBe('invalid_media_url');
  });

  it('caps the decoded size, and fails on errors, empty bodies and the deadline', async () => {
    expect(await code(allowed, `http://127.0.0.1:${port}/bomb`)).toBe('media_too_large');
    expect(await code(allowed, `http://127.0.0.1:${port}/missing`)).toBe('media_fetch_failed');
    expect(await code(allowed, `http://127.0.0.1:${port}/empty`)).toBe('media_fetch_failed');
    const started = Date.now();
    expect(await code(allowed, `http://127.0.0.1:${port}/slow`)).toBe('media_fetch_failed');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
