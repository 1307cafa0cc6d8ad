import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { AuthStrategy, Client, LocalAuth, RemoteAuth, Store } from 'whatsapp-web.js';
import type { WhatsAppSessionStore } from '../whatsapp-session.store';

export interface RemoteBackupOptions {
  /** Delay after `ready` before the first backup (whatsapp-web.js waits 60 s). */
  firstDelayMs: number;
  /** Backup period while ready (>= 60 s for whatsapp-web.js; we run our own timer). */
  intervalMs: number;
}

export const DEFAULT_REMOTE_BACKUP: RemoteBackupOptions = { firstDelayMs: 60_000, intervalMs: 5 * 60_000 };

/** Internals of RemoteAuth we drive ourselves (not in its typings). */
interface RemoteAuthInternals {
  storeRemoteSession(options?: { emit?: boolean }): Promise<void>;
  userDataDir?: string;
}

export interface WebJsAuthOptions {
  /** [A-Za-z0-9_-] only (whatsapp-web.js' rule). */
  clientId: string;
  dataDir: string;
  /** With a store: RemoteAuth (session zipped into the store); without: LocalAuth (profile on disk). */
  store?: WhatsAppSessionStore;
  backup?: RemoteBackupOptions;
  logger: Logger;
  /** Called once the browser and page exist (before WhatsApp Web loads). */
  onBrowser: (client: Client) => void;
}

/**
 * Builds the whatsapp-web.js auth strategy of one connection and owns what the library leaves
 * loose: the profile location, backups of a RemoteAuth session on our own timers (errors logged,
 * never unhandled), a final backup on stop, and deleting the session on logout.
 */
export class WebJsAuthStrategy {
  readonly strategy: AuthStrategy;
  /** Chromium profile (userDataDir) of this connection. */
  readonly profileDir: string;
  /** Key in the session store (RemoteAuth's naming: `RemoteAuth-<clientId>`). */
  readonly sessionName?: string;
  private readonly remote?: RemoteAuthInternals;
  private backupTimer?: NodeJS.Timeout;
  private backingUp?: Promise<void>;

  constructor(private readonly options: WebJsAuthOptions) {
    const { clientId, dataDir, store } = options;
    if (store) {
      this.sessionName = `RemoteAuth-${clientId}`;
      this.profileDir = join(dataDir, this.sessionName);
      const remote = new RemoteAuth({
        clientId,
        dataPath: dataDir,
        store: storeAdapter(store, dataDir),
        backupSyncIntervalMs: Math.max(
          60_000,
          options.backup?.intervalMs ?? DEFAULT_REMOTE_BACKUP.intervalMs,
        ),
      });
      this.remote = remote as unknown as RemoteAuthInternals;
      // Our timers instead of the library's (60 s fixed first delay, unguarded setInterval).
      remote.afterAuthReady = async () => this.scheduleBackups();
      remote.destroy = async () => this.cancelBackups();
      // RemoteAuth deletes the stored session on ANY disconnect (even a conflict); we decide on logout.
      remote.disconnect = async () => this.cancelBackups();
      remote.logout = async () => this.deleteSession();
      this.strategy = remote;
    } else {
      this.profileDir = join(dataDir, `session-${clientId}`);
      this.strategy = new LocalAuth({ clientId, dataPath: dataDir });
    }
    const after = this.strategy.afterBrowserInitialized.bind(this.strategy);
    const setup = this.strategy.setup.bind(this.strategy);
    let client: Client | undefined;
    this.strategy.setup = (c: Client) => {
      client = c;
      setup(c);
    };
    this.strategy.afterBrowserInitialized = async () => {
      await after();
      if (client) options.onBrowser(client);
    };
  }

  get isRemote(): boolean {
    return !!this.remote;
  }

  /** Zips the profile into the store now (RemoteAuth only). Errors are logged, not thrown. */
  async backupNow(): Promise<boolean> {
    if (!this.remote) return false;
    if (this.backingUp) return this.backingUp.then(() => true);
    const started = Date.now();
    this.backingUp = this.remote
      .storeRemoteSession()
      .then(() => this.options.logger.info({ ms: Date.now() - started }, 'session backed up to the store'))
      .catch((err: unknown) => this.options.logger.error({ err }, 'session backup failed'))
      .finally(() => (this.backingUp = undefined));
    await this.backingUp;
    return true;
  }

  cancelBackups(): void {
    if (this.backupTimer) clearTimeout(this.backupTimer);
    this.backupTimer = undefined;
  }

  /** Removes the session everywhere: the store (if any) and the local profile. */
  async deleteSession(): Promise<void> {
    this.cancelBackups();
    if (this.options.store && this.sessionName) {
      await this.options.store.delete({ session: this.sessionName });
    }
    await rm(this.profileDir, { recursive: true, force: true, maxRetries: 4 });
  }

  private scheduleBackups(): void {
    if (!this.remote) return;
    this.cancelBackups();
    const backup = this.options.backup ?? DEFAULT_REMOTE_BACKUP;
    const run = (delay: number): void => {
      this.backupTimer = setTimeout(() => {
        void this.backupNow().then(() => {
          if (this.backupTimer) run(backup.intervalMs);
        });
      }, delay);
      this.backupTimer.unref();
    };
    run(backup.firstDelayMs);
  }
}

/** whatsapp-web.js Store over our WhatsAppSessionStore (save gets the archive path explicitly). */
function storeAdapter(store: WhatsAppSessionStore, dataDir: string): Store {
  return {
    sessionExists: ({ session }) => store.sessionExists({ session }),
    save: ({ session }) => store.save({ session, path: join(dataDir, `${session}.zip`) }),
    // RemoteAuth extracts before anything created dataDir (a fresh node).
    extract: async ({ session, path }) => {
      await mkdir(dirname(path), { recursive: true });
      await store.extract({ session, path });
    },
    delete: ({ session }) => store.delete({ session }),
  };
}
