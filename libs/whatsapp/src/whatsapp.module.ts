import { DynamicModule, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { join, resolve } from 'node:path';
import type { Connection } from 'mongoose';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { GridFsSessionStore } from './sessions/gridfs-session.store';
import { LocalDirectorySessionStore } from './sessions/local-directory-session.store';
import { SimulatorDriverDefaults, SimulatorDriverFactory } from './simulator/simulator-driver.factory';
import { WebJsDriverDefaults, WebJsDriverFactory } from './webjs/webjs-driver.factory';
import { WebJsPageObserver } from './webjs/webjs-page.observer';
import { ConfiguredWhatsAppDriverFactory } from './whatsapp-driver.factory';
import { WhatsAppSessionStore } from './whatsapp-session.store';
import { WhatsAppDriverFactory } from './whatsapp.driver';

export interface WhatsAppModuleOptions {
  /**
   * Where linked sessions live. `local` (default): Chromium profiles (LocalAuth) and simulator
   * session files under WHATSAPP_DATA_DIR. `mongo`: GridFS through the application's mongoose
   * connection (import PersistenceModule), so that another node can restore a connection.
   */
  sessions?: 'local' | 'mongo';
  webjs?: WebJsDriverDefaults;
  simulator?: SimulatorDriverDefaults;
}

const OPTIONS = Symbol('WHATSAPP_MODULE_OPTIONS');

/** Stops every driver still running when the application shuts down. */
class WhatsAppShutdownHook implements OnApplicationShutdown {
  constructor(@Inject(WhatsAppDriverFactory) private readonly factory: WhatsAppDriverFactory) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.factory instanceof ConfiguredWhatsAppDriverFactory) await this.factory.stopAll();
  }
}

/**
 * The WhatsApp driver layer: provides `WhatsAppDriverFactory` (one driver per connection,
 * webjs or simulator as WHATSAPP_DRIVER allows) and `WhatsAppSessionStore`. Provide a
 * `WebJsPageObserver` only in tests (fake WhatsApp Web page).
 */
@Module({})
export class WhatsAppModule {
  static forRoot(options: WhatsAppModuleOptions = {}): DynamicModule {
    const storeProvider: Provider =
      options.sessions === 'mongo'
        ? {
            provide: WhatsAppSessionStore,
            inject: [getConnectionToken()],
            useFactory: (connection: Connection) => new GridFsSessionStore(connection),
          }
        : {
            provide: WhatsAppSessionStore,
            inject: [AppConfig],
            useFactory: (config: AppConfig) =>
              new LocalDirectorySessionStore(join(resolve(config.whatsapp.dataDir), 'sessions')),
          };
    return {
      module: WhatsAppModule,
      providers: [
        { provide: OPTIONS, useValue: options },
        storeProvider,
        {
          provide: WhatsAppDriverFactory,
          inject: [
            AppConfig,
            AppLogger,
            WhatsAppSessionStore,
            OPTIONS,
            { token: WebJsPageObserver, optional: true },
          ],
          useFactory: (
            config: AppConfig,
            appLogger: AppLogger,
            store: WhatsAppSessionStore,
            opts: WhatsAppModuleOptions,
            pageObserver?: WebJsPageObserver,
          ) => {
            const wa = config.whatsapp;
            const logger = appLogger.child({ component: 'whatsapp' });
            return new ConfiguredWhatsAppDriverFactory(
              wa.drivers,
              {
                webjs: new WebJsDriverFactory({
                  chromiumPath: wa.chromiumPath,
                  dataDir: wa.dataDir,
                  logger,
                  ...(opts.sessions === 'mongo' ? { sessionStore: store } : {}),
                  ...(pageObserver ? { pageObserver } : {}),
                  ...(opts.webjs ? { defaults: opts.webjs } : {}),
                }),
                simulator: new SimulatorDriverFactory({
                  logger,
                  sessionStore: store,
                  ...(opts.simulator ? { defaults: opts.simulator } : {}),
                }),
              },
              logger,
            );
          },
        },
        WhatsAppShutdownHook,
      ],
      exports: [WhatsAppDriverFactory, WhatsAppSessionStore],
    };
  }
}
