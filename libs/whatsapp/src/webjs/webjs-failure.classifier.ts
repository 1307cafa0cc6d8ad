/**
 * What went wrong with a whatsapp-web.js client, from an error (or the string the library
 * throws) or a `disconnected` reason, and what the driver does about it.
 */

export type FailureKind =
  | 'unreachable'
  | 'auth_timeout'
  | 'browser_crashed'
  | 'launch_failed'
  | 'ready_timeout'
  | 'version_unavailable'
  | 'unknown';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** Human-readable, safe to show to the integrator. */
  reason: string;
}

const NETWORK_ERROR =
  /net::(ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_CONNECTION_TIMED_OUT|ERR_ADDRESS_UNREACHABLE|ERR_NETWORK_CHANGED|ERR_TIMED_OUT|ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED|ERR_NAME_RESOLUTION_FAILED|ERR_NETWORK_ACCESS_DENIED|ERR_SSL_[A-Z_]+|ERR_CERT_[A-Z_]+|ERR_EMPTY_RESPONSE|ERR_[A-Z_]*DNS[A-Z_]*)/;
const BROWSER_GONE =
  /(Target closed|Session closed|Connection closed|Protocol error|Execution context was destroyed|Navigating frame was detached|Browser has disconnected|Page crashed|Cannot find context|detached Frame|Requesting main frame too early|Attempted to use detached)/i;

export function errorMessage(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err instanceof Error) return err.message;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Classifies a rejected `initialize()` (or any client error). */
export function classifyFailure(err: unknown): ClassifiedFailure {
  const message = errorMessage(err);
  if (message === 'auth timeout') {
    return { kind: 'auth_timeout', reason: 'WhatsApp Web did not load in time (auth timeout)' };
  }
  if (message === 'ready timeout') {
    return { kind: 'ready_timeout', reason: 'WhatsApp Web did not become ready in time (ready timeout)' };
  }
  const net = NETWORK_ERROR.exec(message);
  if (net) {
    return {
      kind: 'unreachable',
      reason: `WhatsApp Web (https://web.whatsapp.com/) is unreachable: net::${net[1]}`,
    };
  }
  if (/Couldn't load version/i.test(message)) {
    return { kind: 'version_unavailable', reason: `WhatsApp Web version not available: ${message}` };
  }
  if (
    /Failed to launch the browser process|spawn .* ENOENT|Browser was not found|executablePath/i.test(message)
  ) {
    return { kind: 'launch_failed', reason: `Chromium could not be started: ${firstLine(message)}` };
  }
  if (BROWSER_GONE.test(message)) {
    return { kind: 'browser_crashed', reason: `browser connection lost: ${firstLine(message)}` };
  }
  return { kind: 'unknown', reason: firstLine(message) || 'unknown error' };
}

/** True when an error plausibly comes from puppeteer or whatsapp-web.js. */
export function isBrowserAutomationError(err: unknown): boolean {
  if (err === 'auth timeout' || err === 'ready timeout') return true;
  const message = errorMessage(err);
  if (BROWSER_GONE.test(message) || NETWORK_ERROR.test(message)) return true;
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  return /[\\/](puppeteer-core|puppeteer|whatsapp-web\.js)[\\/]/.test(stack);
}

export type DisconnectAction = 'logged_out' | 'banned' | 'qr_exhausted' | 'restart';

/**
 * whatsapp-web.js `disconnected` reasons: `LOGOUT` (unlinked from the phone), a socket state
 * (`UNPAIRED`, `CONFLICT`, `TOS_BLOCK`, ...) or `Max qrcode retries reached`.
 */
export function classifyDisconnect(reason: string): DisconnectAction {
  switch (reason) {
    case 'LOGOUT':
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE':
      return 'logged_out';
    case 'TOS_BLOCK':
    case 'SMB_TOS_BLOCK':
      return 'banned';
    case 'Max qrcode retries reached':
      return 'qr_exhausted';
    default:
      return 'restart';
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}
