import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WhatsAppSessionStore } from '../whatsapp-session.store';

/** Session archives as files in one directory (`<dir>/<session>.zip`), written atomically. */
export class LocalDirectorySessionStore extends WhatsAppSessionStore {
  private readonly dir: string;

  constructor(dir: string) {
    super();
    this.dir = resolve(dir);
  }

  private fileOf(session: string): string {
    if (!/^[\w.-]+$/.test(session)) throw new Error(`invalid session name "${session}"`);
    return join(this.dir, `${session}.zip`);
  }

  async sessionExists({ session }: { session: string }): Promise<boolean> {
    try {
      return (await stat(this.fileOf(session))).isFile();
    } catch {
      return false;
    }
  }

  async save({ session, path }: { session: string; path: string }): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.fileOf(session);
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await copyFile(path, tmp);
    await rename(tmp, target);
  }

  async extract({ session, path }: { session: string; path: string }): Promise<void> {
    await copyFile(this.fileOf(session), path);
  }

  async delete({ session }: { session: string }): Promise<void> {
    await rm(this.fileOf(session), { force: true });
  }
}
