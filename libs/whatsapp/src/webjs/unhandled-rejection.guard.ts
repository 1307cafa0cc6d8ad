import type { Logger } from 'pino';
import { errorMessage, isBrowserAutomationError } from './webjs-failure.classifier';

/** What the guard needs from a running client. */
export interface GuardedClient {
  readonly connectionId: string;
  /**
   * Called for an unhandled rejection that may come from this client. The client checks its
   * own health and restarts when broken; returns true when it took the error as its own.
   */
  onStrayError(error: unknown): Promise<boolean>;
  /** Synchronously kills the browser (process exit). */
  killBrowserSync(): void;
}

/**
 * whatsapp-web.js leaves promises without a catch (its `framenavigated` handler re-injects;
 * RemoteAuth backups run on an interval). One of them rejecting must not take the process down
 * (Node's default for an unhandled rejection). While at least one webjs client runs, this guard
 * listens to `unhandledRejection`: an error that looks like puppeteer/whatsapp-web.js goes to
 * every client, which checks its own health and restarts if it is the broken one; any other
 * error is logged (not swallowed silently). With no client left it removes itself, restoring
 * Node's default behaviour. It also kills the browsers when the process exits.
 */
export class UnhandledRejectionGuard {
  private static shared?: UnhandledRejectionGuard;

  private readonly clients = new Set<GuardedClient>();
  private installed = false;
  private readonly onRejection = (reason: unknown): void => this.handle(reason);
  private readonly onExit = (): void => {
    for (const c of this.clients) c.killBrowserSync();
  };

  constructor(private readonly logger: Logger) {}

  /** The process-wide guard (the first caller's logger is used). */
  static forProcess(logger: Logger): UnhandledRejectionGuard {
    UnhandledRejectionGuard.shared ??= new UnhandledRejectionGuard(logger);
    return UnhandledRejectionGuard.shared;
  }

  get size(): number {
    return this.clients.size;
  }

  register(client: GuardedClient): void {
    this.clients.add(client);
    if (!this.installed) {
      process.on('unhandledRejection', this.onRejection);
      process.on('exit', this.onExit);
      this.installed = true;
    }
  }

  unregister(client: GuardedClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.installed) {
      process.off('unhandledRejection', this.onRejection);
      process.off('exit', this.onExit);
      this.installed = false;
    }
  }

  /** Public for tests: what happens to one unhandled rejection. */
  handle(reason: unknown): void {
    if (!isBrowserAutomationError(reason)) {
      this.logger.error({ err: reason }, 'unhandled promise rejection (not from a WhatsApp client)');
      return;
    }
    const clients = [...this.clients];
    this.logger.warn(
      { error: errorMessage(reason), clients: clients.length },
      'unhandled rejection from a WhatsApp client: checking clients',
    );
    void Promise.allSettled(clients.map((c) => c.onStrayError(reason))).then((results) => {
      const owners = clients.filter((_, i) => {
        const r = results[i];
        return r?.status === 'fulfilled' && r.value;
      });
      if (owners.length === 0)
        this.logger.info({ error: errorMessage(reason) }, 'stray client error: every client healthy');
    });
  }
}
