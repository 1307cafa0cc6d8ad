import {
  cacheControlOf,
  CONSOLE_CSP,
  consoleTarget,
  contentTypeOf,
  HASHED_CACHE_CONTROL,
  INDEX_CACHE_CONTROL,
  PLAIN_CACHE_CONTROL,
} from './console-response.policy';

describe('consoleTarget', () => {
  it.each([
    '',
    '/',
    '/sign-in',
    '/connections',
    '/connections/con_01JDQ8Z0A1B2C3D4E5F6G7H8J9',
    '/conversations/con_1/15557654321@c.us',
    '/conversations/con_1/120363025246125888@g.us',
    '/index.html',
  ])('answers the client route %p with the single page', (path) =>
    expect(consoleTarget(path)).toEqual({ kind: 'index' }),
  );

  it('maps a file of the build to its relative path', () => {
    expect(consoleTarget('/assets/index-BX3k9aQz.js')).toEqual({
      kind: 'file',
      path: 'assets/index-BX3k9aQz.js',
    });
    expect(consoleTarget('/favicon.svg')).toEqual({ kind: 'file', path: 'favicon.svg' });
  });

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/assets%2f..%2f..%2fpackage.json',
    '/assets/..%5c..%5cpackage.json',
    '/.env.js',
    '/assets/%00.js',
    '/assets/%E0%A4%A.js',
    '/assets/a b.js',
  ])('refuses %p, which could leave the folder or is no file of a build', (path) => {
    expect(consoleTarget(path)).toEqual({ kind: 'invalid' });
  });
});

describe('contentTypeOf', () => {
  it('names scripts, styles and images, and falls back to octet-stream', () => {
    expect(contentTypeOf('assets/index-1.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('assets/index-1.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('favicon.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('blob.bin')).toBe('application/octet-stream');
  });
});

describe('cacheControlOf', () => {
  it('keeps hashed assets for a year, makes the page revalidate, and others briefly', () => {
    expect(cacheControlOf({ kind: 'file', path: 'assets/index-BX3k9aQz.js' })).toBe(HASHED_CACHE_CONTROL);
    expect(HASHED_CACHE_CONTROL).toContain('immutable');
    expect(cacheControlOf({ kind: 'index' })).toBe(INDEX_CACHE_CONTROL);
    expect(INDEX_CACHE_CONTROL).toBe('no-cache');
    expect(cacheControlOf({ kind: 'file', path: 'favicon.svg' })).toBe(PLAIN_CACHE_CONTROL);
  });
});

describe('CONSOLE_CSP', () => {
  it('allows only same-origin code and never inline scripts', () => {
    const directives = new Map(
      CONSOLE_CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(CONSOLE_CSP).not.toContain('unsafe-eval');
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
