/**
 * The admin pages of the console in Chromium (issue 11): webhooks (SSRF refusal beside the URL,
 * a test event delivered to a real local receiver with its attempt, redelivery, secret rotation),
 * API keys, users and invitations, the operator's accounts, and what a support user and another
 * account do not see. axe checks each page (no serious or critical violation); screenshots go to
 * test-artifacts/console/.
 */
import type { Browser, Page } from 'puppeteer-core';
import { TEST_ADMIN_KEY } from '@wwb/testing';
import { auth } from '../support/connections-stack';
import { accept, PASSWORD, person } from '../support/console-people';
import { MessagingStack } from '../support/messaging-stack';
import { Receiver, WEBHOOK_TEST_ENV } from '../webhooks/webhook-test.harness';
import {
  ConsolePage,
  ensureConsoleBuilt,
  expectAccessible,
  fill,
  inPage,
  launchBrowser,
  openPage,
  signedInPage,
  textOf,
  valueOf,
  waitForPath,
  waitForText,
} from './console-browser';

jest.setTimeout(180_000);

let stack: MessagingStack;
let browser: Browser;
let acme: { id: string; key: string; keyId: string };
let other: { id: string; key: string; keyId: string };
let admin: ConsolePage;
const receiver = new Receiver();
const opened: ConsolePage[] = [];
const WAIT = 30_000;

beforeAll(async () => {
  ensureConsoleBuilt();
  await receiver.start();
  stack = await MessagingStack.start(WEBHOOK_TEST_ENV);
  await stack.startWorker();
  acme = { ...(await stack.stack.account('professional')), keyId: '' };
  other = { ...(await stack.stack.account('professional')), keyId: '' };
  browser = await launchBrowser();
  const boss = await person(stack.http, acme, 'admin');
  admin = await signedInPage(browser, stack.stack.baseUrl, boss.email, PASSWORD, {
    next: '/console/webhooks',
  });
  opened.push(admin);
});

afterAll(async () => {
  for (const p of opened) await p.context.close().catch(() => undefined);
  await browser?.close();
  await stack?.close();
  await receiver.stop();
});

const url = (path: string) => `${stack.stack.baseUrl}${path}`;

/** Clicks the first element of `selector` whose text starts with `text`. */
async function click(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].some((e) => e.textContent.trim().startsWith(${JSON.stringify(text)}))`,
    { timeout: WAIT },
  );
  await inPage(
    page,
    `[...document.querySelectorAll(${JSON.stringify(selector)})].find((e) => e.textContent.trim().startsWith(${JSON.stringify(text)})).click()`,
  );
}

/** Confirms the open <dialog> of a ConfirmButton. */
async function confirm(page: Page): Promise<void> {
  await page.waitForSelector('dialog[open] .button-danger', { timeout: WAIT });
  await page.click('dialog[open] .button-danger');
}

const count = (page: Page, selector: string) =>
  inPage<number>(page, `document.querySelectorAll(${JSON.stringify(selector)}).length`);

/** A custom header set in the endpoint form; long enough that its mask shows the last 4 characters. */
const HEADER = { name: 'X-Api-Key', value: 'k-123456789abc' };
const HEADER_NAME = '[data-testid=webhook-headers] input[id^=webhook-headers-name-]';
const HEADER_VALUE = '[data-testid=webhook-headers] input[id^=webhook-headers-value-]';

describe('webhooks', () => {
  let webhookId: string;
  let firstSecret: string;

  it('refuses an SSRF URL beside the field, keeping what was typed; creates an endpoint with its secret shown once', async () => {
    const { page } = admin;
    await waitForText(page, 'No webhook endpoints yet.');
    await click(page, 'a', 'New endpoint');
    await waitForPath(page, '/console/webhooks/new');
    await page.waitForSelector('#webhook-url');
    await fill(page, '#webhook-url', 'http://169.254.169.254/latest/meta-data');
    await fill(page, '#webhook-description', 'CRM');
    await click(page, 'button', 'Add header');
    await page.waitForFunction(`document.activeElement?.id.startsWith('webhook-headers-name-')`, {
      timeout: WAIT,
    });
    await page.keyboard.type(HEADER.name);
    await fill(page, HEADER_VALUE, HEADER.value);
    await click(page, 'button[type=submit]', 'Create endpoint');
    await page.waitForSelector('#webhook-url-error', { timeout: WAIT });
    expect(await textOf(page, '#webhook-url-error')).not.toBe('');
    expect(await inPage(page, `document.querySelector('#webhook-url').getAttribute('aria-invalid')`)).toBe(
      'true',
    );
    expect(await valueOf(page, '#webhook-description')).toBe('CRM');
    expect(await valueOf(page, HEADER_NAME)).toBe(HEADER.name);
    expect(await valueOf(page, HEADER_VALUE)).toBe(HEADER.value);

    await fill(page, '#webhook-url', receiver.url);
    await click(page, 'button[type=submit]', 'Create endpoint');
    await page.waitForSelector('[data-testid=webhook-secret-value]', { timeout: WAIT });
    firstSecret = await valueOf(page, '[data-testid=webhook-secret-value]');
    expect(firstSecret).toMatch(/^whsec_/);
    await click(page, 'button', 'I have stored it');
    await page.waitForFunction(`location.pathname.startsWith('/console/webhooks/whk_')`, { timeout: WAIT });
    webhookId = new URL(page.url()).pathname.split('/').pop()!;
    await waitForText(page, 'No deliveries yet.');
    expect(await textOf(page, '[data-testid=webhook-url]')).toBe(receiver.url);
    // The saved header comes back masked in the settings form.
    await page.waitForSelector(HEADER_VALUE, { timeout: WAIT });
    expect(await valueOf(page, HEADER_NAME)).toBe(HEADER.name);
    expect(await valueOf(page, HEADER_VALUE)).toBe('****9abc');
  });

  it('sends a test event: the delivery shows with its attempt; redelivers it; rotates the secret (shown once)', async () => {
    const { page } = admin;
    // Saving the settings as shown sends the masked header back, which keeps the stored value.
    await click(page, 'button[type=submit]', 'Save changes');
    await waitForText(page, 'Saved.');
    await click(page, 'button', 'Send test event');
    await page.waitForSelector('[data-testid=deliveries-table] tr[data-status=delivered]', { timeout: WAIT });
    expect(receiver.events().map((e) => e.type)).toContain('webhook.test');
    const test = receiver.requests.find(
      (r) => (JSON.parse(r.body) as { type: string }).type === 'webhook.test',
    );
    expect(test?.headers[HEADER.name.toLowerCase()]).toBe(HEADER.value);
    await click(page, '[data-testid=deliveries-table] button', 'Attempts');
    await page.waitForSelector('[data-testid=attempts-table] tr[data-outcome=delivered]', { timeout: WAIT });
    expect(await textOf(page, '[data-testid=attempts-table] tbody')).toContain('HTTP 200');
    await expectAccessible(page, 'webhook');

    const before = receiver.requests.length;
    await click(page, '[data-testid=delivery-detail] button', 'Redeliver');
    await waitForText(page, 'Sent again as a new delivery');
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid=deliveries-table] tr[data-status=delivered]').length === 2`,
      { timeout: WAIT },
    );
    expect(await textOf(page, '[data-testid=deliveries-table]')).toContain('(redelivery)');
    expect(receiver.requests.length).toBeGreaterThan(before);
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(ids[ids.length - 1]).toBe(ids[before - 1]);

    await click(page, 'button', 'Rotate secret');
    await confirm(page);
    await page.waitForSelector('[data-testid=rotated-secret-value]', { timeout: WAIT });
    const rotated = await valueOf(page, '[data-testid=rotated-secret-value]');
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(firstSecret);
    await click(page, '[data-testid=rotated-secret] button', 'I have stored it');
    await page.waitForFunction(`!document.querySelector('[data-testid=rotated-secret]')`, { timeout: WAIT });
  });

  it("lists the account's endpoints and never another account's (list and by URL)", async () => {
    const theirs = await stack.http
      .post('/v1/webhooks')
      .set(auth(other.key))
      .send({ url: `${receiver.url}?theirs`, events: ['*'] })
      .expect(201);
    const { page } = admin;
    await page.goto(url('/console/webhooks'));
    await page.waitForSelector(`[data-webhook-id="${webhookId}"]`, { timeout: WAIT });
    expect(await count(page, '[data-testid=webhooks-table] tbody tr')).toBe(1);
    expect(await textOf(page, 'main')).not.toContain(theirs.body.id);
    await expectAccessible(page, 'webhooks');

    await page.goto(url(`/console/webhooks/${theirs.body.id as string}`));
    await waitForText(page, 'There is no such webhook endpoint in your account.');
    expect(await textOf(page, 'main')).not.toContain('?theirs');
  });
});

describe('API keys', () => {
  it('creates a key shown once, then revokes it after confirming', async () => {
    const { page } = admin;
    await page.goto(url('/console/api-keys'));
    await page.waitForSelector('#key-name');
    await fill(page, '#key-name', 'crm-integration');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=created-key-value]', { timeout: WAIT });
    const key = await valueOf(page, '[data-testid=created-key-value]');
    expect(key).toMatch(/^wwb_/);
    await stack.http.get('/v1/account').set(auth(key)).expect(200);
    await page.waitForFunction(
      `document.querySelector('[data-testid=api-keys-table]')?.innerText.includes('crm-integration')`,
      {
        timeout: WAIT,
      },
    );
    await expectAccessible(page, 'api-keys');

    await click(page, '[data-testid=api-keys-table] button', 'Revoke crm-integration');
    await confirm(page);
    await waitForText(page, 'Revoked crm-integration.');
    await stack.http.get('/v1/account').set(auth(key)).expect(401);
    expect(await textOf(page, '[data-testid=api-keys-table]')).not.toContain('crm-integration');
  });
});

describe('users', () => {
  it('invites a support user (link shown once), changes a role, removes a user; the only admin cannot be demoted', async () => {
    const { page } = admin;
    await page.goto(url('/console/users'));
    await page.waitForSelector('#invite-email');
    expect(await textOf(page, '[data-testid=users-table]')).toContain('(only admin)');
    const email = `sam-${Date.now()}@example.com`;
    await fill(page, '#invite-email', email);
    await page.select('#invite-role', 'support');
    await click(page, 'button[type=submit]', 'Invite');
    await page.waitForSelector('[data-testid=invite-link-value]', { timeout: WAIT });
    const link = new URL(await valueOf(page, '[data-testid=invite-link-value]'));
    expect(link.pathname).toBe('/console/accept-invitation');
    await page.waitForFunction(
      `document.querySelector('[data-testid=invitations-table]')?.innerText.includes(${JSON.stringify(email)})`,
      { timeout: WAIT },
    );
    await expectAccessible(page, 'users');

    const joined = await accept(stack.http, link.searchParams.get('token')!, PASSWORD, 'Sam Support').expect(
      200,
    );
    const samId = joined.body.user.id as string;
    await page.reload();
    await page.waitForSelector(`tr[data-user-id="${samId}"] select`, { timeout: WAIT });
    expect(await count(page, '[data-testid=invitations-table]')).toBe(0);
    await page.select(`#role-${samId}`, 'marketing');
    await click(page, `tr[data-user-id="${samId}"] button`, 'Change role');
    await waitForText(page, 'Sam Support is now Marketing.');
    const listed = await stack.http.get('/v1/users').set(auth(acme.key)).expect(200);
    expect((listed.body.data as { id: string; role: string }[]).find((u) => u.id === samId)?.role).toBe(
      'marketing',
    );

    await click(page, `tr[data-user-id="${samId}"] button`, 'Remove');
    await confirm(page);
    await waitForText(page, 'Sam Support was removed.');
    await page.waitForFunction(`!document.querySelector('tr[data-user-id="${samId}"]')`, { timeout: WAIT });
  });
});

describe('a support user', () => {
  it('sees no API keys or Users in the navigation and gets a clear message by URL; webhooks read-only', async () => {
    const helper = await person(stack.http, acme, 'support');
    const support = await signedInPage(browser, stack.stack.baseUrl, helper.email, PASSWORD, {
      next: '/console/webhooks',
    });
    opened.push(support);
    const { page } = support;
    await page.waitForSelector('[data-testid=webhooks-table]', { timeout: WAIT });
    const nav = await textOf(page, 'nav');
    expect(nav).toContain('Webhooks');
    expect(nav).not.toContain('API keys');
    expect(nav).not.toContain('Users');
    await page.waitForSelector('[data-testid=read-only-note]');
    expect(await textOf(page, 'main')).not.toContain('New endpoint');

    for (const [path, what] of [
      ['/console/api-keys', 'API keys'],
      ['/console/users', 'users'],
    ] as const) {
      await page.goto(url(path));
      await page.waitForSelector('[data-testid=admin-only-note]', { timeout: WAIT });
      expect(await textOf(page, '[data-testid=admin-only-note]')).toContain(
        `Only admins of the account can see ${what}`,
      );
    }
  });
});

describe('the operator', () => {
  it('signs in with the operator key (a wrong one is refused beside the field), lists accounts and changes a plan', async () => {
    const operator = await openPage(browser);
    opened.push(operator);
    const { page } = operator;
    await page.goto(url('/console/operator/accounts'));
    await page.waitForSelector('[data-testid=operator-signed-out]', { timeout: WAIT });
    await click(page, 'a', 'Sign in as the operator');
    await waitForPath(page, '/console/operator/sign-in');
    await page.waitForSelector('#admin-key');
    await fill(page, '#admin-key', 'not-the-key');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#admin-key-error', { timeout: WAIT });

    await fill(page, '#admin-key', TEST_ADMIN_KEY);
    await page.keyboard.press('Enter');
    await waitForPath(page, '/console/operator/accounts');
    await page.waitForSelector(`tr[data-account-id="${acme.id}"]`, { timeout: WAIT });
    expect(await textOf(page, `tr[data-account-id="${other.id}"]`)).toContain('Professional');
    await expectAccessible(page, 'operator-accounts');

    await page.select(`#plan-${acme.id}`, 'enterprise');
    await click(page, `tr[data-account-id="${acme.id}"] button`, 'Change plan');
    await page.waitForSelector(`tr[data-account-id="${acme.id}"][data-plan=enterprise]`, { timeout: WAIT });
    const got = await stack.http.get(`/v1/admin/accounts/${acme.id}`).set(auth(TEST_ADMIN_KEY)).expect(200);
    expect(got.body.plan).toBe('enterprise');

    await fill(page, '#account-name', 'Globex');
    await click(page, 'button[type=submit]', 'Create account');
    await waitForText(page, 'Account Globex created.');
    await page.waitForFunction(
      `document.querySelector('[data-testid=accounts-table]').innerText.includes('Globex')`,
      {
        timeout: WAIT,
      },
    );
  });
});
