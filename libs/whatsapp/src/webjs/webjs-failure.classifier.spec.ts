import { classifyDisconnect, classifyFailure, isBrowserAutomationError } from './webjs-failure.classifier';

describe('webjs failure classification', () => {
  it.each([
    ['auth timeout', 'auth_timeout', /auth timeout/],
    ['ready timeout', 'ready_timeout', /ready timeout/],
    [
      new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/'),
      'unreachable',
      /unreachable: net::ERR_NAME_NOT_RESOLVED/,
    ],
    [
      new Error('net::ERR_INTERNET_DISCONNECTED at https://web.whatsapp.com/'),
      'unreachable',
      /ERR_INTERNET_DISCONNECTED/,
    ],
    [new Error('net::ERR_CERT_AUTHORITY_INVALID at x'), 'unreachable', /ERR_CERT_AUTHORITY_INVALID/],
    [
      new Error("Couldn't load version 2.3000.1 from the cache"),
      'version_unavailable',
      /version not available/,
    ],
    [
      new Error('Failed to launch the browser process!\nspawn /nope ENOENT'),
      'launch_failed',
      /Chromium could not be started/,
    ],
    [
      new Error('Protocol error (Runtime.callFunctionOn): Target closed'),
      'browser_crashed',
      /browser connection lost/,
    ],
    [
      new Error('Execution context was destroyed, most likely because of a navigation.'),
      'browser_crashed',
      /Execution context/,
    ],
    [new Error('something else'), 'unknown', /something else/],
    [{ weird: true }, 'unknown', /weird/],
  ])('%p -> %s', (err, kind, reason) => {
    const c = classifyFailure(err);
    expect(c.kind).toBe(kind);
    expect(c.reason).toMatch(reason);
  });

  it('keeps only the first line of long errors', () => {
    expect(classifyFailure(new Error('first\nsecond')).reason).toBe('first');
  });

  it('recognizes errors from puppeteer / whatsapp-web.js', () => {
    expect(isBrowserAutomationError('auth timeout')).toBe(true);
    expect(isBrowserAutomationError(new Error('Session closed. Most likely the page has been closed.'))).toBe(
      true,
    );
    const e = new Error('x');
    e.stack = 'Error: x\n    at Foo (/app/node_modules/whatsapp-web.js/src/Client.js:1:1)';
    expect(isBrowserAutomationError(e)).toBe(true);
    const mine = new Error('database down');
    mine.stack = 'Error: database down\n    at Repo (/app/libs/accounts/src/x.ts:1:1)';
    expect(isBrowserAutomationError(mine)).toBe(false);
    expect(isBrowserAutomationError('nope')).toBe(false);
  });

  it('classifies disconnect reasons: logout is terminal, conflicts restart', () => {
    expect(classifyDisconnect('LOGOUT')).toBe('logged_out');
    expect(classifyDisconnect('UNPAIRED')).toBe('logged_out');
    expect(classifyDisconnect('TOS_BLOCK')).toBe('banned');
    expect(classifyDisconnect('Max qrcode retries reached')).toBe('qr_exhausted');
    expect(classifyDisconnect('CONFLICT')).toBe('restart');
    expect(classifyDisconnect('UNLAUNCHED')).toBe('restart');
  });
});
