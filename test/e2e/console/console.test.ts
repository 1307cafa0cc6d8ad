/**
 * The web console in Chromium (issue 11): served by the real API at /console, signed in with the
 * cookie session, linking a simulator phone live, roles, accounts kept apart, sign-out and an API
 * outage. axe-core checks every page (no serious or critical violation) and each page is saved as
 * a screenshot under test-artifacts/console/.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Browser, HTTPRequest } from 'puppeteer-core';
import { auth, ConnectionsStack } from '../support/connections-stack';
import {
  ConsolePage,
  ensureConsoleBuilt,
  expectAccessible,
  fill,
  inPage,
  launchBrowser,
  openPage,
  pathOf,
  screenshot,
  textOf,
  valueOf,
  waitForPath,
  waitForText,
} from './console-browser';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery';

let stack: ConnectionsStack;
let browser: Browser;
let acme: { id: string; key: string };
let other: { id: string; key: string };
let admin: ConsolePage;
let connectionId: string;
const opened: ConsolePage[] = [];
let seq = 0;

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await ConnectionsStack.start({ RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' });
  await stack.startGateway();
  acme = await stack.account('professional');
  other = await stack.account('professional');
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const p of opened) await p.context.close().catch(() => undefined);
  await browser?.close();
  await stack?.close();
});

const url = (path: string) => `${stack.baseUrl}${path}`;

async function open(timeZone?: string): Promise<ConsolePage> {
  const p = await openPage(browser, timeZone);
  opened.push(p);
  return p;
}

/** An invitation made with the account's API key: the path of its link, to open in the browser. */
async function invitation(key: string, role: string): Promise<{ email: string; path: string }> {
  const email = `${role}-${++seq}@example.com`;
  const res = await stack.http.post('/v1/users/invitations').set(auth(key)).send({ email, role }).expect(201);
  const link = new URL(res.body.acceptUrl as string);
  expect(link.pathname).toBe('/console/accept-invitation');
  return { email, path: link.pathname + link.search };
}

async function acceptInUi(p: ConsolePage, path: string, name: string): Promise<void> {
  await p.page.goto(url(path));
  await p.page.waitForSelector('#name');
  await fill(p.page, '#name', name);
  await fill(p.page, '#password', PASSWORD);
  await p.page.keyboard.press('Enter');
  await waitForPath(p.page, '/console/connections');
}

it('serves the console at /console with a strict CSP, revalidated index and immutable assets', async () => {
  const page = await stack.http.get('/console/connections').expect(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.headers['cache-control']).toBe('no-cache');
  expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
  expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
  const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
  expect(script).toBeDefined();
  const asset = await stack.http.get(script!).expect(200);
  expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  await stack.http.get('/console/assets/nothing-here.js').expect(404);
});

it('an invited admin accepts in the page, signs out, and signs in again (errors beside their fields)', async () => {
  const { email, path } = await invitation(acme.key, 'admin');
  admin = await open();
  const { page } = admin;
  await page.goto(url(path));
  await page.waitForSelector('#password');
  await expectAccessible(page, 'accept-invitation');

  await fill(page, '#name', 'Ana Admin');
  await fill(page, '#password', 'short');
  await page.click('button[type=submit]');
  await page.waitForSelector('#password-error');
  expect(await textOf(page, '#password-error')).toMatch(/10/);
  expect(await valueOf(page, '#name')).toBe('Ana Admin');

  await fill(page, '#password', PASSWORD);
  await page.click('button[type=submit]');
  await waitForPath(page, '/console/connections');
  await waitForText(page, 'No connections yet.');
  expect(await textOf(page, '[data-testid=user-role]')).toBe('Admin');
  expect(await textOf(page, '.who-name')).toBe('Ana Admin');
  await expectAccessible(page, 'connections-empty');

  await page.click('.who button');
  await waitForPath(page, '/console/sign-in?next=%2Fconsole%2Fconnections');
  await page.waitForSelector('#email');
  await expectAccessible(page, 'sign-in');

  await fill(page, '#email', email.toUpperCase());
  await fill(page, '#password', 'wrong password!');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.form-error');
  expect(await valueOf(page, '#email')).toBe(email.toUpperCase());
  await screenshot(page, 'sign-in-error');
  await fill(page, '#password', PASSWORD);
  await page.keyboard.press('Enter');
  await waitForPath(page, '/console/connections');
  await waitForText(page, 'No connections yet.');
  expect(admin.problems).toEqual([]);
});

it('links a phone: create, QR shown and refreshed, simulator scan, ready on screen without reload', async () => {
  const { page } = admin;
  await page.click('button[type=submit]');
  await page.waitForSelector('#connection-name-error');
  expect(await textOf(page, '#connection-name-error')).toMatch(/name/i);

  await fill(page, '#connection-name', 'Support line');
  await page.click('button[type=submit]');
  await page.waitForFunction(`location.pathname.startsWith('/console/connections/con_')`, {
    timeout: 15_000,
  });
  connectionId = decodeURIComponent(pathOf(page).split('/').pop()!);
  await inPage(page, 'window.__sameDocument = true');

  await page.waitForSelector('[data-testid=qr-image]', { timeout: 30_000 });
  const firstQr = await inPage<string>(page, `document.querySelector('[data-testid=qr-image]').src`);
  expect(firstQr).toMatch(/^data:image\/png;base64,/);
  await expectAccessible(page, 'connection-qr');
  // The simulator issues a new code every 20 s: the page swaps it in from the event stream.
  await page.waitForFunction(
    `document.querySelector('[data-testid=qr-image]')?.src !== ${JSON.stringify(firstQr)}`,
    {
      timeout: 35_000,
    },
  );

  await stack.http
    .post(`/v1/connections/${connectionId}/simulator/scan`)
    .set(auth(acme.key))
    .send({ phoneNumber: '+15550001234', pushName: 'Acme Support' })
    .expect(200);
  await page.waitForSelector('[data-testid=connection-status] [data-status=ready]', { timeout: 30_000 });
  await waitForText(page, '+15550001234');
  expect(await inPage(page, 'window.__sameDocument === true')).toBe(true);
  expect(await page.$('[data-testid=qr-image]')).toBeNull();
  await expectAccessible(page, 'connection-ready');

  await page.click('nav a[href="/console/connections"]');
  await page.waitForSelector(`tr[data-connection-id="${connectionId}"] [data-status=ready]`);
  await expectAccessible(page, 'connections-list');
  expect(admin.problems).toEqual([]);
});

it('the live stream stays open on the session cookie (the API does not end it as a bad API key)', async () => {
  // The console relies on it for live statuses; a stream ended every few seconds misses events.
  const seen = await inPage<string[]>(
    admin.page,
    `new Promise((resolve) => {
      const seen = [];
      const es = new EventSource('/v1/connections/${connectionId}/events');
      ['connection', 'closed'].forEach((t) => es.addEventListener(t, (e) => seen.push(t + ' ' + e.data)));
      es.addEventListener('error', () => seen.push('error ' + es.readyState));
      setTimeout(() => { es.close(); resolve(seen); }, 8000);
    })`,
  );
  expect(seen.filter((e) => !e.startsWith('connection '))).toEqual([]);
  expect(seen.filter((e) => e.startsWith('connection '))).toHaveLength(1);
});

it('a viewer sees the connections without create or change controls, and a forced POST is 403', async () => {
  const { path } = await invitation(acme.key, 'viewer');
  const viewer = await open('Asia/Tokyo');
  await acceptInUi(viewer, path, 'Vic Viewer');
  const { page } = viewer;
  await page.waitForSelector(`tr[data-connection-id="${connectionId}"]`);
  expect(await textOf(page, '[data-testid=user-role]')).toBe('Viewer');
  expect(await page.$('#connection-name')).toBeNull();
  expect(await textOf(page, '[data-testid=read-only-note]')).toMatch(/Viewer/);
  // Times read in the viewer's own zone (this browser is in Tokyo, the admin's in New York).
  const shown = await inPage<{ iso: string; text: string }>(
    page,
    `(({ dateTime, textContent }) => ({ iso: dateTime, text: textContent }))(
      document.querySelector('tr[data-connection-id] time'))`,
  );
  const tokyo = new Intl.DateTimeFormat('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  });
  expect(shown.text.replace(/\s/g, ' ')).toBe(tokyo.format(new Date(shown.iso)).replace(/\s/g, ' '));
  await expectAccessible(page, 'viewer-connections');

  await page.click(`tr[data-connection-id="${connectionId}"] a`);
  await page.waitForSelector('[data-testid=connection-status] [data-status=ready]');
  const buttons = await inPage<string[]>(
    page,
    `[...document.querySelectorAll('main button')].map((b) => b.textContent)`,
  );
  expect(buttons).not.toEqual(expect.arrayContaining(['Restart', 'Delete', 'Log out']));
  await expectAccessible(page, 'viewer-connection');

  const forced = await inPage<{ status: number; code: string }>(
    page,
    `fetch('/v1/console/session').then((r) => r.json()).then((s) => fetch('/v1/connections', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken },
      body: JSON.stringify({ name: 'not allowed' }),
    })).then(async (r) => ({ status: r.status, code: (await r.json()).code }))`,
  );
  expect(forced).toEqual({ status: 403, code: 'forbidden_role' });
  expect(viewer.problems).toEqual([]);
});

it("another account's connection never shows, in the list or by its address", async () => {
  const theirs = await stack.http
    .post('/v1/connections')
    .set(auth(other.key))
    .send({ name: 'Other company line' })
    .expect(201);
  const { page } = admin;
  await page.goto(url('/console/connections'));
  await page.waitForSelector(`tr[data-connection-id="${connectionId}"]`);
  const ids = await inPage<string[]>(
    page,
    `[...document.querySelectorAll('tr[data-connection-id]')].map((r) => r.dataset.connectionId)`,
  );
  expect(ids).toEqual([connectionId]);
  expect(await inPage(page, `document.body.innerText.includes('Other company line')`)).toBe(false);

  await page.goto(url(`/console/connections/${theirs.body.id}`));
  await waitForText(page, 'There is no such connection in your account.');
  expect(await inPage(page, `document.body.innerText.includes('Other company line')`)).toBe(false);
});

it('after sign-out, opening a page asks to sign in and comes back to it (?next kept)', async () => {
  const { page } = admin;
  await page.goto(url('/console/connections'));
  await page.waitForSelector('.who button');
  await page.click('.who button');
  await page.waitForSelector('#email');

  await page.goto(url('/console/usage'));
  await waitForPath(page, '/console/sign-in?next=%2Fconsole%2Fusage');
  const status = await inPage<number>(page, `fetch('/v1/account').then((r) => r.status)`);
  expect(status).toBe(401);

  const { email } = await stack.http
    .get('/v1/users')
    .set(auth(acme.key))
    .expect(200)
    .then((res) => (res.body.data as { email: string; role: string }[]).find((u) => u.role === 'admin')!);
  await page.waitForSelector('#email');
  await fill(page, '#email', email);
  await fill(page, '#password', PASSWORD);
  await page.keyboard.press('Enter');
  await waitForPath(page, '/console/usage');
  await page.waitForSelector('tr[data-resource=connections] progress');
  expect(await textOf(page, '[data-testid=plan-name]')).toBe('Professional');
  expect(await textOf(page, 'tr[data-resource=connections] td')).toBe('1');
  await expectAccessible(page, 'usage');
});

it('a session that expires while a page is open returns to sign-in with the page it was going to, and back', async () => {
  const { page } = admin;
  await page.goto(url('/console/usage'));
  await page.waitForSelector('tr[data-resource=connections] progress');
  // Expiry as the API sees it: the stored session's end has passed (each API process caches a
  // session for at most 5 s, so the next calls find it expired within that time).
  const db = stack.api.get<Connection>(getConnectionToken());
  const expired = await db
    .collection('console_sessions')
    .updateMany({ accountId: acme.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
  expect(expired.modifiedCount).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 5_500));

  // Following a link calls the API, which answers 401: the console asks to sign in again and
  // keeps the page the person was opening, typed text of the sign-in form aside.
  await page.click(`nav a[href="/console/connections"]`);
  await waitForPath(page, '/console/sign-in?next=%2Fconsole%2Fconnections');
  await page.waitForSelector('#email');
  const { email } = await stack.http
    .get('/v1/users')
    .set(auth(acme.key))
    .expect(200)
    .then((res) => (res.body.data as { email: string; role: string }[]).find((u) => u.role === 'admin')!);
  await fill(page, '#email', email);
  await fill(page, '#password', PASSWORD);
  await page.keyboard.press('Enter');
  await waitForPath(page, '/console/connections');
  await page.waitForSelector('[data-testid=connections-table]');
  expect(admin.problems).toEqual([]);
});

it('an API outage shows a banner, keeps what was typed, and clears on "Try again"', async () => {
  const { page } = admin;
  await page.goto(url('/console/connections'));
  await page.waitForSelector('#connection-name');
  await fill(page, '#connection-name', 'Typed before the outage');

  await page.setRequestInterception(true);
  let mode: 'down' | 'failing' | 'up' = 'down';
  const route = (req: HTTPRequest) => {
    if (req.isInterceptResolutionHandled()) return;
    if (mode === 'up' || !new URL(req.url()).pathname.startsWith('/v1/')) return void req.continue();
    if (mode === 'down') return void req.abort('connectionrefused');
    return void req.respond({ status: 503, contentType: 'text/html', body: '<h1>Bad gateway</h1>' });
  };
  page.on('request', route);

  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=api-banner]');
  expect(await textOf(page, '[data-testid=api-banner]')).toMatch(/not reachable/);
  expect(await valueOf(page, '#connection-name')).toBe('Typed before the outage');
  expect(await page.$(`tr[data-connection-id="${connectionId}"]`)).not.toBeNull();
  await expectAccessible(page, 'api-down');

  mode = 'failing';
  await page.click('form button[type=submit]');
  await page.waitForFunction(
    `document.querySelector('[data-testid=api-banner]')?.innerText.includes('error')`,
  );
  expect(await valueOf(page, '#connection-name')).toBe('Typed before the outage');

  mode = 'up';
  await page.click('[data-testid=api-banner] button');
  await page.waitForFunction(`!document.querySelector('[data-testid=api-banner]')`, { timeout: 15_000 });
  page.off('request', route);
  await page.setRequestInterception(false);
  expect(await valueOf(page, '#connection-name')).toBe('Typed before the outage');
});

it('an admin restarts, then deletes a connection after confirming, with the keyboard only', async () => {
  const { page } = admin;
  await page.goto(url(`/console/connections/${connectionId}`));
  await page.waitForSelector('[data-testid=connection-status] [data-status]');
  const focusButton = async (label: string) => {
    await page.waitForFunction(
      `[...document.querySelectorAll('main button')].some((b) => b.textContent === ${JSON.stringify(label)})`,
    );
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if ((await inPage<string>(page, 'document.activeElement?.textContent ?? ""')) === label) return;
    }
    throw new Error(`no ${label} button reached with Tab`);
  };
  await focusButton('Restart');
  await page.keyboard.press('Enter');
  await waitForText(page, 'Restart requested.');

  await focusButton('Delete');
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog[open]');
  expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Cancel');
  await expectAccessible(page, 'confirm-delete');
  await page.keyboard.press('Tab');
  expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Delete connection');
  await page.keyboard.press('Enter');
  await waitForPath(page, '/console/connections');
  await waitForText(page, 'No connections yet.');
  await stack.http.get(`/v1/connections/${connectionId}`).set(auth(acme.key)).expect(404);
  expect(admin.problems).toEqual([]);
});
