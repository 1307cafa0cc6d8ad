import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAssetsStore } from './console-assets.store';

async function read(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('ConsoleAssetsStore', () => {
  let base: string;
  let dist: string;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'console-store-'));
    dist = join(base, 'dist', 'console');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'assets', 'index-abc12345.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'not for the browser');
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('reads the page and the files of the build', async () => {
    const store = new ConsoleAssetsStore(dist);
    expect((await store.index()).toString()).toContain('<title>console</title>');
    const file = await store.file('assets/index-abc12345.js');
    expect(file?.size).toBe(14);
    expect(await read(file!.open())).toBe('console.log(1)');
    expect(await store.built()).toBe(true);
  });

  it('has no file outside the build folder, through .. or a symbolic link, and no folders', async () => {
    symlinkSync(join(base, 'secret.txt'), join(dist, 'assets', 'link.txt'));
    const store = new ConsoleAssetsStore(dist);
    expect(await store.file('../../secret.txt')).toBeUndefined();
    expect(await store.file('assets/link.txt')).toBeUndefined();
    expect(await store.file('assets')).toBeUndefined();
    expect(await store.file('assets/missing.js')).toBeUndefined();
  });

  it('without a build, the page is 503 console_not_built naming the command', async () => {
    const store = new ConsoleAssetsStore(join(base, 'nowhere'));
    expect(await store.built()).toBe(false);
    expect(await store.file('assets/index-abc12345.js')).toBeUndefined();
    await expect(store.index()).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'console_not_built',
      message: expect.stringContaining('npm run build:console'),
    });
  });

  it('defaults to dist/console under the working directory', () => {
    expect(new ConsoleAssetsStore().root).toBe(join(process.cwd(), 'dist', 'console'));
  });
});
