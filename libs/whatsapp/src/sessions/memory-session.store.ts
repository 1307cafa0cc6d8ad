import { readFile, writeFile } from 'node:fs/promises';
import { WhatsAppSessionStore } from '../whatsapp-session.store';

/** Sessions in process memory (tests, single-process demos). Lost when the process ends. */
export class MemorySessionStore extends WhatsAppSessionStore {
  private readonly sessions = new Map<string, Buffer>();

  async sessionExists({ session }: { session: string }): Promise<boolean> {
    return this.sessions.has(session);
  }

  async save({ session, path }: { session: string; path: string }): Promise<void> {
    this.sessions.set(session, await readFile(path));
  }

  async extract({ session, path }: { session: string; path: string }): Promise<void> {
    const data = this.sessions.get(session);
    if (!data) throw new Error(`no stored session "${session}"`);
    await writeFile(path, data);
  }

  async delete({ session }: { session: string }): Promise<void> {
    this.sessions.delete(session);
  }

  get size(): number {
    return this.sessions.size;
  }
}
