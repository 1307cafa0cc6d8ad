import { join } from 'node:path';
import type { Logger } from 'pino';
import type { WhatsAppSessionStore } from '../whatsapp-session.store';
import { WebJsDriver, WebJsDriverOptions } from './webjs.driver';
import type { WebJsPageObserver } from './webjs-page.observer';

/** Options every webjs driver of a factory shares (timeouts, flags, test page...). */
export type WebJsDriverDefaults = Partial<
  Omit<
    WebJsDriverOptions,
    'connectionId' | 'logger' | 'chromiumPath' | 'dataDir' | 'sessionStore' | 'pageObserver'
  >
>;

export interface WebJsDriverFactoryOptions {
  chromiumPath: string;
  /** Profiles go to `<dataDir>/webjs`. */
  dataDir: string;
  logger: Logger;
  /** When set, sessions are kept in it (RemoteAuth); otherwise on local disk (LocalAuth). */
  sessionStore?: WhatsAppSessionStore;
  pageObserver?: WebJsPageObserver;
  defaults?: WebJsDriverDefaults;
}

export class WebJsDriverFactory {
  constructor(private readonly options: WebJsDriverFactoryOptions) {}

  create(
    connectionId: string,
    overrides: { sessionStore?: WhatsAppSessionStore; logger?: Logger } = {},
  ): WebJsDriver {
    const o = this.options;
    const store = overrides.sessionStore ?? o.sessionStore;
    return new WebJsDriver({
      ...o.defaults,
      connectionId,
      logger: overrides.logger ?? o.logger,
      chromiumPath: o.chromiumPath,
      dataDir: join(o.dataDir, 'webjs'),
      ...(store ? { sessionStore: store } : {}),
      ...(o.pageObserver ? { pageObserver: o.pageObserver } : {}),
    });
  }
}
