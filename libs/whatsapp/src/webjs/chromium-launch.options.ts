import { connectionMarker } from './chromium-process.util';

/** Flags every browser gets: small /dev/shm in a container, no GPU, nothing phoning home. */
export const BASE_CHROMIUM_ARGS: readonly string[] = [
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
 * Memory trimming (measured by bench/whatsapp-memory.bench.ts):
 * - `--app=data:,`: an app window has no toolbar, so headless Chromium does not preload the
 *   omnibox popup WebUI (chrome://omnibox-popup.top-chrome, a second renderer of about 40-60 MB);
 *   the biggest single saving;
 * - the network service and the GPU stay inside the browser process instead of one process
 *   each; no spare renderer; at most one renderer; audio in process;
 * - fewer background features (translate, optimization hints, media router, back-forward cache).
 * `--single-process` would save another ~30 MB per connection but is unsupported by Chromium;
 * it is left to `extraChromiumArgs` for whoever wants to try it.
 */
export const LEAN_CHROMIUM_ARGS: readonly string[] = [
  '--app=data:,',
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
];

export interface ChromiumArgsOptions {
  connectionId: string;
  /** Keep Chromium's sandbox (default true); false adds `--no-sandbox` (ChromiumSandboxPolicy decides). */
  sandbox?: boolean;
  /** Apply LEAN_CHROMIUM_ARGS (default true). */
  lean?: boolean;
  /** V8 old-space cap of the renderer in MB (0 = Chromium's default). */
  maxOldSpaceMb?: number;
  extraArgs?: readonly string[];
}

/** Launch arguments of one connection's browser, ending with its marker. */
export function chromiumArgs(options: ChromiumArgsOptions): string[] {
  const args = [...BASE_CHROMIUM_ARGS];
  if (options.sandbox === false && !options.extraArgs?.includes('--no-sandbox')) args.push('--no-sandbox');
  if (options.lean !== false) args.push(...LEAN_CHROMIUM_ARGS);
  if (options.maxOldSpaceMb && options.maxOldSpaceMb > 0)
    args.push(`--js-flags=--max-old-space-size=${options.maxOldSpaceMb}`);
  args.push(...(options.extraArgs ?? []));
  args.push(connectionMarker(options.connectionId));
  return args;
}
