import type { Logger } from 'pino';
import { isTerminal } from './core/connection-state.machine';
import { SimulatorDriverFactory } from './simulator/simulator-driver.factory';
import { WebJsDriverFactory } from './webjs/webjs-driver.factory';
import { WhatsAppDriverError } from './whatsapp-driver.error';
import {
  CreateDriverOptions,
  WhatsAppDriver,
  WhatsAppDriverFactory,
  WhatsAppDriverKind,
} from './whatsapp.driver';

/**
 * The factory the module provides: creates webjs or simulator drivers as configuration allows
 * (WHATSAPP_DRIVER lists the allowed kinds, the first is the default), and stops every driver
 * it created that is still running when the application shuts down (no leaked Chromium).
 */
export class ConfiguredWhatsAppDriverFactory extends WhatsAppDriverFactory {
  private readonly created = new Set<WhatsAppDriver>();

  constructor(
    readonly kinds: readonly WhatsAppDriverKind[],
    private readonly factories: { webjs?: WebJsDriverFactory; simulator?: SimulatorDriverFactory },
    private readonly logger: Logger,
  ) {
    super();
    if (kinds.length === 0) throw new Error('at least one WhatsApp driver kind must be allowed');
  }

  get defaultKind(): WhatsAppDriverKind {
    return this.kinds[0]!;
  }

  create(connectionId: string, options: CreateDriverOptions = {}): WhatsAppDriver {
    const kind = options.kind ?? this.defaultKind;
    if (!this.kinds.includes(kind)) {
      throw new WhatsAppDriverError(
        'not_supported',
        `driver "${kind}" is not enabled (WHATSAPP_DRIVER=${this.kinds.join(',')})`,
      );
    }
    const logger = options.logBindings ? this.logger.child(options.logBindings) : this.logger;
    const factory = this.factories[kind];
    if (!factory) throw new WhatsAppDriverError('not_supported', `driver "${kind}" is not available`);
    const driver = factory.create(connectionId, {
      logger,
      ...(options.sessionStore ? { sessionStore: options.sessionStore } : {}),
    });
    this.created.add(driver);
    return driver;
  }

  /** Forgets a driver (after the connection is deleted). */
  release(driver: WhatsAppDriver): void {
    this.created.delete(driver);
  }

  /** Stops every driver still running (application shutdown). */
  async stopAll(): Promise<void> {
    const running = [...this.created].filter((d) => !isTerminal(d.state.status));
    await Promise.allSettled(running.map((d) => d.stop()));
  }
}
