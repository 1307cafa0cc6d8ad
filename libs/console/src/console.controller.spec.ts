import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HttpExceptionFilter } from '@wwb/http';
import type { AppLogger } from '@wwb/observability';
import { ConsoleAssetsStore } from './console-assets.store';
import { ConsoleModule } from './console.module';
import { CONSOLE_CSP } from './console-response.policy';

const INDEX = '<!doctype html><script type="module" src="/console/assets/index-abc12345.js"></script>';

async function serve(dir: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [ConsoleModule] })
    .overrideProvider(ConsoleAssetsStore)
    .useValue(new ConsoleAssetsStore(dir))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const logger = { pino: { error: () => undefined } } as unknown as AppLogger;
  app.useGlobalFilters(new HttpExceptionFilter(logger));
  await app.init();
  return app;
}

describe('ConsoleController', () => {
  let base: string;
  let app: INestApplication;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'console-http-'));
    mkdirSync(join(base, 'assets'));
    writeFileSync(join(base, 'index.html'), INDEX);
    writeFileSync(join(base, 'assets', 'index-abc12345.js'), 'export {};');
    writeFileSync(join(base, 'favicon.svg'), '<svg/>');
    app = await serve(base);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it.each([
    '/console',
    '/console/',
    '/console/connections/con_1',
    '/console/sign-in?next=%2Fconsole%2Fusage',
  ])('answers %s with the page, revalidated on each visit, under the CSP', async (path) => {
    const res = await request(app.getHttpServer()).get(path).expect(200);
    expect(res.text).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves hashed assets as immutable and other files briefly', async () => {
    const js = await request(app.getHttpServer()).get('/console/assets/index-abc12345.js').expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.text).toBe('export {};');
    const icon = await request(app.getHttpServer()).get('/console/favicon.svg').expect(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=300');
    const head = await request(app.getHttpServer()).head('/console/assets/index-abc12345.js').expect(200);
    expect(head.headers['content-length']).toBe('10');
  });

  it('answers 404 with the error body for a missing file or a path out of the folder, never the page', async () => {
    const missing = await request(app.getHttpServer()).get('/console/assets/index-gone.js').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    await request(app.getHttpServer()).get('/console/assets/..%2f..%2fpackage.json').expect(404);
    await request(app.getHttpServer()).get('/console/.env.js').expect(404);
  });

  it('without a build, answers 503 console_not_built naming the command, and keeps running', async () => {
    const empty = await serve(join(base, 'not-built'));
    try {
      for (const path of ['/console', '/console/usage', '/console/assets/index-abc12345.js']) {
        const res = await request(empty.getHttpServer()).get(path).expect(503);
        expect(res.body).toMatchObject({ statusCode: 503, code: 'console_not_built' });
        expect(res.body.message).toContain('npm run build:console');
      }
    } finally {
      await empty.close();
    }
  });
});
