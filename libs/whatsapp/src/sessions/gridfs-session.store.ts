import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Connection, mongo } from 'mongoose';
import { WhatsAppSessionStore } from '../whatsapp-session.store';

export const DEFAULT_SESSION_BUCKET = 'whatsapp_sessions';

/**
 * Session archives in MongoDB GridFS, through the application's mongoose connection: what lets
 * another node restore a connection without a new QR. A save uploads a new file and then
 * removes the older versions, so a crash mid-upload never loses the previous archive.
 */
export class GridFsSessionStore extends WhatsAppSessionStore {
  constructor(
    private readonly connection: Connection,
    private readonly bucketName = DEFAULT_SESSION_BUCKET,
  ) {
    super();
  }

  private bucket(): mongo.GridFSBucket {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB is not connected');
    return new mongo.GridFSBucket(db, { bucketName: this.bucketName });
  }

  private static filename(session: string): string {
    return `${session}.zip`;
  }

  private async versions(session: string): Promise<mongo.GridFSFile[]> {
    return this.bucket()
      .find({ filename: GridFsSessionStore.filename(session) })
      .sort({ uploadDate: -1, _id: -1 })
      .toArray();
  }

  async sessionExists({ session }: { session: string }): Promise<boolean> {
    return (await this.versions(session)).length > 0;
  }

  async save({ session, path }: { session: string; path: string }): Promise<void> {
    const bucket = this.bucket();
    const upload = bucket.openUploadStream(GridFsSessionStore.filename(session), {
      metadata: { session, savedAt: new Date() },
    });
    await pipeline(createReadStream(path), upload);
    const newest = upload.id;
    for (const old of await this.versions(session)) {
      if (!old._id.equals(newest)) await bucket.delete(old._id).catch(() => undefined);
    }
  }

  async extract({ session, path }: { session: string; path: string }): Promise<void> {
    const [latest] = await this.versions(session);
    if (!latest) throw new Error(`no stored session "${session}"`);
    await pipeline(this.bucket().openDownloadStream(latest._id), createWriteStream(path));
  }

  async delete({ session }: { session: string }): Promise<void> {
    const bucket = this.bucket();
    for (const file of await this.versions(session)) await bucket.delete(file._id).catch(() => undefined);
  }
}
