import type { Logger } from 'pino';
import type { WhatsAppSessionStore } from '../whatsapp-session.store';
import { SimulatorDriver, SimulatorDriverOptions } from './simulator.driver';

export type SimulatorDriverDefaults = Partial<
  Omit<SimulatorDriverOptions, 'connectionId' | 'logger' | 'sessionStore'>
>;

export class SimulatorDriverFactory {
  constructor(
    private readonly options: {
      logger: Logger;
      sessionStore: WhatsAppSessionStore;
      defaults?: SimulatorDriverDefaults;
    },
  ) {}

  create(
    connectionId: string,
    overrides: { sessionStore?: WhatsAppSessionStore; logger?: Logger } = {},
  ): SimulatorDriver {
    return new SimulatorDriver({
      ...this.options.defaults,
      connectionId,
      logger: overrides.logger ?? this.options.logger,
      sessionStore: overrides.sessionStore ?? this.options.sessionStore,
    });
  }
}
