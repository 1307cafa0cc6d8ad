// The web console (issue 11): serving the built single-page app at /console.
export * from './console.module';
export { ConsoleAssetsStore, CONSOLE_DIST_DIR, defaultConsoleDistDir } from './console-assets.store';
export { CONSOLE_MOUNT } from './console.controller';
export { CONSOLE_CSP, CONSOLE_SECURITY_HEADERS } from './console-response.policy';
