import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { WebJsAuthStrategy } from './webjs-auth.strategy';

/** Left behind by a Chromium that did not exit cleanly (a crash, a kill, another host). */
const SINGLETON_FILES = ['SingletonLock', 'SingletonSocket', 'SingletonCookie'];

/** A connection's Chromium profile and session data on disk (and in the remote store, if any). */
export class WebJsProfileStore {
  constructor(private readonly logger: Logger) {}

  /** Chromium refuses a profile whose Singleton lock names a live process elsewhere. */
  async removeLocks(profileDir: string): Promise<void> {
    await Promise.all(SINGLETON_FILES.map((f) => rm(join(profileDir, f), { force: true })));
  }

  /**
   * Deletes the session for good (logged out, unlinked). A failure, building the strategy
   * included, is logged, not thrown: the connection's new status must still be reported.
   */
  async deleteSession(auth: () => WebJsAuthStrategy): Promise<void> {
    try {
      await auth().deleteSession();
    } catch (err) {
      this.logger.error({ err }, 'could not delete the session data');
    }
  }
}
