import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '@wwb/runtime';

/** Largest CSV accepted by the import (100,000 rows of a few hundred bytes). */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/** Where uploaded CSVs wait for the import (multer's disk storage uses it too). */
export const IMPORT_UPLOAD_DIR = join(tmpdir(), 'wwb-contact-imports');

export const importTooLarge = (maxBytes: number): DomainError =>
  new DomainError('too_large', 'payload_too_large', `The CSV is larger than ${maxBytes} bytes`, {
    maxBytes,
  });

export interface SavedUpload {
  path: string;
  size: number;
}

/**
 * A CSV request body saved to a temporary file before the import reads it, as multer does for
 * the multipart upload: a body past the cap is refused whole (413) before any row is applied,
 * and memory stays bounded whatever the size.
 */
@Injectable()
export class CsvUploadStore {
  /** Saves `body`; 413 payload_too_large (and nothing kept) once it passes `maxBytes`. */
  async save(body: Readable, maxBytes: number = IMPORT_MAX_BYTES): Promise<SavedUpload> {
    await mkdir(IMPORT_UPLOAD_DIR, { recursive: true });
    const path = join(IMPORT_UPLOAD_DIR, `body-${randomBytes(12).toString('hex')}.csv`);
    let size = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(size > maxBytes ? importTooLarge(maxBytes) : null, chunk);
      },
    });
    const written = pipeline(cap, createWriteStream(path, { flags: 'wx' }));
    // Not pipeline(body, ...): destroying a request body would reset the connection before the
    // client reads the 413. The rest of a refused body is read and dropped instead.
    body.on('error', (err) => cap.destroy(err));
    body.pipe(cap);
    try {
      await written;
    } catch (err) {
      body.unpipe(cap);
      body.resume();
      await this.discard(path);
      throw err;
    }
    return { path, size };
  }

  async discard(path: string): Promise<void> {
    await unlink(path).catch(() => undefined);
  }
}
