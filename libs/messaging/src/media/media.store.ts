import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Connection, mongo } from 'mongoose';
import { UsageCounterRepository } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { Clock, IdGenerator } from '@wwb/runtime';

export const MEDIA_BUCKET = 'media';
/** The usage counter (@wwb/infrastructure) of stored media bytes per account (plan limit mediaBytes). */
export const MEDIA_BYTES = 'mediaBytes';

/** One stored media file (an upload, or base64 / URL media stored when a message was accepted). */
export interface StoredMedia {
  uploadId: string;
  mimetype: string;
  filename?: string;
  size: number;
  createdAt: Date;
}

interface MediaMetadata {
  accountId: string;
  mimetype: string;
  filename?: string;
}

/**
 * Media bytes in GridFS (bucket `media`) through the application's mongoose connection. The
 * upload id is the GridFS file id; the account is in the file's metadata and every read is
 * scoped by it, so an upload of another account is "not found". Every file stored or deleted
 * moves the account's `mediaBytes` usage counter (counted before the write, so that a check
 * racing with it sees it; given back if the write fails); MediaRetentionRunner reconciles the
 * counters with the files.
 */
@Injectable()
export class MediaStore {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly counters: UsageCounterRepository,
  ) {}

  private bucket(): mongo.GridFSBucket {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB is not connected');
    return new mongo.GridFSBucket(db, { bucketName: MEDIA_BUCKET });
  }

  async save(
    scope: AccountScope,
    media: { data: Buffer; mimetype: string; filename?: string },
  ): Promise<StoredMedia> {
    const uploadId = this.ids.prefixed('upl');
    const metadata: MediaMetadata = {
      accountId: scope.accountId,
      mimetype: media.mimetype,
      ...(media.filename ? { filename: media.filename } : {}),
    };
    await this.counters.add(scope.accountId, MEDIA_BYTES, media.data.length);
    try {
      const stream = this.bucket().openUploadStreamWithId(
        uploadId as unknown as mongo.ObjectId,
        media.filename ?? uploadId,
        { metadata },
      );
      await pipeline(Readable.from([media.data]), stream);
    } catch (err) {
      await this.counters.add(scope.accountId, MEDIA_BYTES, -media.data.length).catch(() => undefined);
      throw err;
    }
    return {
      uploadId,
      mimetype: media.mimetype,
      ...(media.filename ? { filename: media.filename } : {}),
      size: media.data.length,
      createdAt: this.clock.now(),
    };
  }

  async find(scope: AccountScope, uploadId: string): Promise<StoredMedia | undefined> {
    const [file] = await this.bucket()
      .find({ _id: uploadId as unknown as mongo.ObjectId, 'metadata.accountId': scope.accountId })
      .limit(1)
      .toArray();
    if (!file) return undefined;
    const meta = file.metadata as MediaMetadata | undefined;
    return {
      uploadId,
      mimetype: meta?.mimetype ?? 'application/octet-stream',
      ...(meta?.filename ? { filename: meta.filename } : {}),
      size: file.length,
      createdAt: file.uploadDate,
    };
  }

  /**
   * Retention, across accounts: ids of files stored before `before`, in id (= time) order after
   * `after`, at most `limit`.
   */
  async storedBefore(before: Date, after: string | undefined, limit: number): Promise<string[]> {
    const filter: mongo.Filter<mongo.GridFSFile> = { uploadDate: { $lt: before } };
    if (after !== undefined) filter._id = { $gt: after as unknown as mongo.ObjectId };
    const files = await this.bucket()
      .find(filter, { sort: { _id: 1 }, limit, projection: { _id: 1 } })
      .toArray();
    return files.map((f) => f._id as unknown as string);
  }

  /** Retention: deletes a file and its chunks (and its bytes from its account's usage); false when it was already gone. */
  async delete(uploadId: string): Promise<boolean> {
    const [file] = await this.bucket()
      .find({ _id: uploadId as unknown as mongo.ObjectId }, { limit: 1 })
      .toArray();
    try {
      await this.bucket().delete(uploadId as unknown as mongo.ObjectId);
    } catch (err) {
      if (err instanceof mongo.MongoRuntimeError && /not found/i.test(err.message)) return false;
      throw err;
    }
    const accountId = (file?.metadata as MediaMetadata | undefined)?.accountId;
    if (file && accountId) await this.counters.add(accountId, MEDIA_BYTES, -file.length);
    return true;
  }

  /**
   * Bytes stored per account, summed from the files (reconciliation of the usage counters;
   * an aggregation over every file: run it rarely).
   */
  async bytesByAccount(): Promise<Map<string, number>> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB is not connected');
    const rows = await db
      .collection(`${MEDIA_BUCKET}.files`)
      .aggregate<{ _id: string | null; bytes: number }>([
        { $group: { _id: '$metadata.accountId', bytes: { $sum: '$length' } } },
      ])
      .toArray();
    return new Map(rows.filter((r) => typeof r._id === 'string').map((r) => [r._id!, r.bytes]));
  }

  /** The bytes of an upload, or undefined when it does not exist for this account. */
  async read(scope: AccountScope, uploadId: string): Promise<Buffer | undefined> {
    if (!(await this.find(scope, uploadId))) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket().openDownloadStream(uploadId as unknown as mongo.ObjectId))
      chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
