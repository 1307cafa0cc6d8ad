export * from './whatsapp.driver';
export * from './whatsapp-message.dto';
export * from './whatsapp-driver.error';
export * from './whatsapp-session.store';
export * from './whatsapp-driver.factory';
export * from './whatsapp.module';
export { isActive, isTerminal, canTransition } from './core/connection-state.machine';
export type { DriverState, DriverStatus } from './core/connection-state.machine';
export { backoffDelay, DEFAULT_BACKOFF } from './core/backoff.policy';
export type { BackoffOptions } from './core/backoff.policy';
export * from './core/phone-number.util';
export * from './core/vcard.util';
export { validateOutgoingMessage } from './core/outgoing-message.validator';
export { GridFsSessionStore, DEFAULT_SESSION_BUCKET } from './sessions/gridfs-session.store';
export { LocalDirectorySessionStore } from './sessions/local-directory-session.store';
export { MemorySessionStore } from './sessions/memory-session.store';
export { SimulatorDriver } from './simulator/simulator.driver';
export type { SimulatorDriverOptions } from './simulator/simulator.driver';
export type { SimulatorInboundMessage, SimulatorPhoneMessage } from './simulator/simulator-message.factory';
export { SimulatorDriverFactory } from './simulator/simulator-driver.factory';
export { WebJsDriver } from './webjs/webjs.driver';
export type { WebJsDriverOptions } from './webjs/webjs.driver';
export { WebJsDriverFactory } from './webjs/webjs-driver.factory';
export { WebJsPageObserver } from './webjs/webjs-page.observer';
export type { WebJsBrowser, WebJsPage } from './webjs/webjs-page.observer';
export { UnhandledRejectionGuard } from './webjs/unhandled-rejection.guard';
export { BASE_CHROMIUM_ARGS, LEAN_CHROMIUM_ARGS, chromiumArgs } from './webjs/chromium-launch.options';
export {
  connectionMarker,
  findMarkedProcesses,
  killMarkedProcesses,
  readPssKb,
  listProcesses,
  withDescendants,
} from './webjs/chromium-process.util';
