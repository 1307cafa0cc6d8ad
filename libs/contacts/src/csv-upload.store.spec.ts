import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { CsvUploadStore, IMPORT_UPLOAD_DIR } from './csv-upload.store';

/** A body sent in chunks, without a length known in advance (chunked transfer). */
const chunked = (chunks: string[]): Readable => Readable.from(chunks.map((c) => Buffer.from(c)));

describe('CsvUploadStore', () => {
  const store = new CsvUploadStore();

  it('saves a body under the cap to a temporary file, and discards it', async () => {
    const saved = await store.save(chunked(['phone,name\n', '+15550000001,Ann\n']), 64);
    expect(saved.size).toBe(28);
    expect(await readFile(saved.path, 'utf8')).toBe('phone,name\n+15550000001,Ann\n');
    await store.discard(saved.path);
    expect(existsSync(saved.path)).toBe(false);
  });

  it('refuses a body past the cap with 413 payload_too_large, keeps nothing and reads the rest', async () => {
    const before = new Set(readdirSync(IMPORT_UPLOAD_DIR));
    const body = new PassThrough();
    const saving = store.save(body, 10);
    body.write('phone\n+1555');
    body.write('0000001\n'.repeat(100));
    body.end('+15550000002\n');
    await expect(saving).rejects.toMatchObject({
      kind: 'too_large',
      code: 'payload_too_large',
      details: { maxBytes: 10 },
    });
    // The request is drained, not destroyed, so that the client reads the answer.
    if (!body.readableEnded) await new Promise((resolve) => body.once('end', resolve));
    expect(body.readableEnded).toBe(true);
    expect(body.errored).toBeNull();
    const left = readdirSync(IMPORT_UPLOAD_DIR).filter((f) => !before.has(f));
    expect(left).toEqual([]);
  });

  it('a body exactly at the cap is accepted', async () => {
    const saved = await store.save(chunked(['12345', '67890']), 10);
    expect(saved.size).toBe(10);
    await store.discard(saved.path);
  });
});
