import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AuthStrategy, ClientOptions, WebCacheOptions } from 'whatsapp-web.js';
import type { BackoffOptions } from '../core/backoff.policy';
import type { WhatsAppSessionStore } from '../whatsapp-session.store';
import { chromiumArgs } from './chromium-launch.options';
import { ChromiumSandboxPolicy, PROCESS_CHROMIUM_SANDBOX } from './chromium-sandbox.policy';
import type { UnhandledRejectionGuard } from './unhandled-rejection.guard';
import type { RemoteBackupOptions } from './webjs-auth.strategy';
import type { WebJsPageObserver } from './webjs-page.observer';

export interface WebJsDriverOptions {
  connectionId: string;
  logger: Logger;
  /** Debian's /usr/bin/chromium by default. */
  chromiumPath: string;
  /** Parent folder of the Chromium profiles (one per connection). */
  dataDir: string;
  /** Keep the session in this store (RemoteAuth) instead of only on local disk (LocalAuth). */
  sessionStore?: WhatsAppSessionStore;
  remoteBackup?: RemoteBackupOptions;
  headless?: boolean;
  /** From `starting` or `authenticated` to `ready` (a QR waiting for its scan does not count). */
  readyTimeoutMs?: number;
  /** whatsapp-web.js: how long to wait for WhatsApp Web's scripts (then 'auth timeout'). */
  authTimeoutMs?: number;
  /** Puppeteer: longest single DevTools call. */
  protocolTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Health probe period while ready (0 = off). Two failed probes in a row restart the client. */
  healthCheckIntervalMs?: number;
  /** Serve WhatsApp Web from a local cache (tests: the fake page). */
  webVersion?: string;
  webVersionCache?: WebCacheOptions;
  /** Apply the memory-saving Chromium flags (default true). */
  leanChromium?: boolean;
  maxOldSpaceMb?: number;
  extraChromiumArgs?: readonly string[];
  /** Whether Chromium may keep its sandbox (default: the process-wide policy, root = no). */
  sandboxPolicy?: ChromiumSandboxPolicy;
  /** Linked-device name shown on the phone. */
  deviceName?: string;
  browserName?: string;
  pageObserver?: WebJsPageObserver;
  guard?: UnhandledRejectionGuard;
  now?: () => number;
}

export const WEBJS_DRIVER_DEFAULTS = {
  readyTimeoutMs: 120_000,
  authTimeoutMs: 60_000,
  protocolTimeoutMs: 60_000,
  healthCheckIntervalMs: 60_000,
  destroyTimeoutMs: 10_000,
  probeTimeoutMs: 10_000,
};

/** The options with every default filled in. */
export type ResolvedWebJsDriverOptions = WebJsDriverOptions & typeof WEBJS_DRIVER_DEFAULTS;

/**
 * whatsapp-web.js's options for one launch of the connection's client (the sandbox decision is
 * taken, and reported, per launch). `dataDir`: the resolved parent folder of the profiles.
 */
export function webJsClientOptions(
  o: ResolvedWebJsDriverOptions,
  authStrategy: AuthStrategy,
  dataDir: string,
): ClientOptions {
  return {
    authStrategy,
    authTimeoutMs: o.authTimeoutMs,
    qrMaxRetries: 0,
    ...(o.webVersion ? { webVersion: o.webVersion } : {}),
    // The library's default cache folder is ./.wwebjs_cache in the working directory.
    webVersionCache: o.webVersionCache ?? { type: 'local', path: join(dataDir, 'web-cache') },
    ...(o.deviceName ? { deviceName: o.deviceName } : {}),
    ...(o.browserName ? { browserName: o.browserName } : {}),
    puppeteer: {
      executablePath: o.chromiumPath,
      headless: o.headless ?? true,
      pipe: true,
      protocolTimeout: o.protocolTimeoutMs,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: chromiumArgs({
        connectionId: o.connectionId,
        sandbox: (o.sandboxPolicy ?? PROCESS_CHROMIUM_SANDBOX).decideAndReport(o.logger, o.extraChromiumArgs)
          .sandbox,
        lean: o.leanChromium,
        maxOldSpaceMb: o.maxOldSpaceMb,
        extraArgs: o.extraChromiumArgs,
      }),
    },
  };
}
