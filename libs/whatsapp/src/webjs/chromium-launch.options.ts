import { connectionMarker } from './chromium-process.util';

/** Flags every browser gets: root in a container, no GPU, nothing phoning home. */
export const BASE_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--mute-audio',
  '--password-store=basic',
  '--use-mock-keychain',
];

/**
 * Memory trimming (measured by bench/whatsapp-memory.bench.ts): run the network, storage and
 * audio services inside the browser process instead of one utility process each, no spare
 * renderer, no software GPU process, one renderer at most, smaller V8 heap reservations.
 */
export const LEAN_CHROMIUM_ARGS: readonly string[] = [
  '--renderer-process-limit=1',
  '--disable-software-rasterizer',
  '--in-process-gpu',
  '--enable-features=NetworkServiceInProcess2',
  '--disable-features=AudioServiceOutOfProcess,SpareRendererForSitePerProcess,Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,AutofillServerCommunication,BackForwardCache,PaintHolding',
  '--disable-site-isolation-trials',
  '--process-per-site',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--disable-ipc-flooding-protection',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--no-zygote',
];

export interface ChromiumArgsOptions {
  connectionId: string;
  /** Apply LEAN_CHROMIUM_ARGS (default true). */
  lean?: boolean;
  /** V8 old-space cap of the renderer in MB (0 = Chromium's default). */
  maxOldSpaceMb?: number;
  extraArgs?: readonly string[];
}

/** Launch arguments of one connection's browser, ending with its marker. */
export function chromiumArgs(options: ChromiumArgsOptions): string[] {
  const args = [...BASE_CHROMIUM_ARGS];
  if (options.lean !== false) args.push(...LEAN_CHROMIUM_ARGS);
  if (options.maxOldSpaceMb && options.maxOldSpaceMb > 0)
    args.push(`--js-flags=--max-old-space-size=${options.maxOldSpaceMb}`);
  args.push(...(options.extraArgs ?? []));
  args.push(connectionMarker(options.connectionId));
  return args;
}
