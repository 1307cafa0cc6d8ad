/**
 * The console's templates and contacts pages in Chromium (issue 11), against the real API: a
 * marketing person writes a template whose mistakes show at their lines while typing, fixes
 * them, saves (a failed save keeps the text), previews it for a contact; imports contacts from
 * CSV (bad rows reported), searches, tags and opts one out. A viewer sees both without edit
 * controls, and another account's template stays out of sight.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { auth, ConnectionsStack } from '../support/connections-stack';
import { PASSWORD, person } from '../support/console-people';
import type { CreatedAccount } from '../support/e2e-app';
import {
  ConsolePage,
  ensureConsoleBuilt,
  expectAccessible,
  fill,
  inPage,
  launchBrowser,
  signedInPage,
  textOf,
  valueOf,
  waitForPath,
  waitForText,
} from './console-browser';

jest.setTimeout(180_000);

const WAIT = { timeout: 30_000 };
let stack: ConnectionsStack;
let browser: Browser;
let acme: CreatedAccount;
let other: CreatedAccount;
let marketing: ConsolePage;
const opened: ConsolePage[] = [];

beforeAll(async () => {
  ensureConsoleBuilt();
  stack = await ConnectionsStack.start({ RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' });
  acme = { ...(await stack.account('professional')), keyId: '' };
  other = { ...(await stack.account('professional')), keyId: '' };
  browser = await launchBrowser();
  const who = await person(stack.http, acme, 'marketing');
  marketing = await signedInPage(browser, stack.baseUrl, who.email, PASSWORD, { next: '/console/templates' });
  opened.push(marketing);
});

afterAll(async () => {
  for (const p of opened) {
    expect({ page: 'console', problems: p.problems }).toEqual({ page: 'console', problems: [] });
    await p.context.close().catch(() => undefined);
  }
  await browser?.close();
  await stack?.close();
});

const url = (path: string) => `${stack.baseUrl}${path}`;

/** The text of every row of a table, in order. */
const rowsOf = (page: Page, table: string): Promise<string[]> =>
  inPage(page, `[...document.querySelectorAll('[data-testid=${table}] tbody tr')].map((r) => r.innerText)`);

async function typeBody(page: Page, body: string): Promise<void> {
  await page.click('#template-body');
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.type('#template-body', body);
}

it('a template: a mistake shows at its line while typing, is fixed, saved (a failed save keeps the text), previewed and listed', async () => {
  const { page } = marketing;
  await stack.http
    .post('/v1/templates')
    .set(auth(acme.key))
    .send({ name: 'welcome', language: 'en', category: 'marketing', body: 'Welcome!' })
    .expect(201);
  await stack.http
    .post('/v1/contacts')
    .set(auth(acme.key))
    .send({ phone: '+34612345099', name: 'Ada' })
    .expect(201);

  await page.goto(url('/console/templates'));
  await page.waitForSelector('[data-testid=templates-table]', WAIT);
  await page.click('a[href="/console/templates/new"]');
  await waitForPath(page, '/console/templates/new');
  await page.waitForSelector('#template-body');
  await fill(page, '#template-name', 'welcome');
  await typeBody(page, 'Hi {{contact.name}},\n{{#if orderId}}Order {{orderId}} shipped.{{/each}}');

  // The API's check, debounced: the mismatched block opens on line 2 (column 4: its helper's name).
  // Checks of what was half typed may answer first: wait for the answer to the whole text.
  await page.waitForFunction(
    `document.querySelector('[data-testid=body-problems] li[data-line="2"]')?.textContent.includes('match each')`,
    WAIT,
  );
  expect(await textOf(page, '[data-testid=body-problems] li')).toMatch(
    /^Line 2, column 4: if doesn't match each/,
  );
  expect(await inPage(page, `document.querySelectorAll('.code-gutter .code-line')[1].className`)).toMatch(
    /code-line-bad/,
  );
  expect(
    await inPage(page, `document.querySelector('#template-body').getAttribute('aria-describedby')`),
  ).toMatch(/template-body-problems/);
  await page.click('[data-testid=body-problems] button');
  expect(await inPage(page, `document.activeElement.id + ':' + document.activeElement.selectionStart`)).toBe(
    `template-body:${'Hi {{contact.name}},\n'.length + 3}`,
  );
  await expectAccessible(page, 'template-editor');

  // Fixed, the body reads an undeclared orderId: declared with one click, with an example.
  await typeBody(page, 'Hi {{contact.name}},\n{{#if orderId}}Order {{orderId}} shipped.{{/if}}');
  await page.waitForSelector('::-p-text(Declare orderId)', WAIT);
  expect(await textOf(page, '[data-testid=body-problems]')).toMatch(/orderId is not a declared variable/);
  await page.click('::-p-text(Declare orderId)');
  await fill(page, '#variable-example-0', 'A-1001');
  await waitForText(page, 'No problems found.', 30_000);
  // The preview is live: the unsaved body, rendered by the API with the example just typed.
  await page.waitForFunction(
    `document.querySelector('[data-testid=template-preview]')?.textContent === 'Hi ,\\nOrder A-1001 shipped.'`,
    WAIT,
  );

  // The name is taken: the error is beside the name and everything typed stays.
  await page.click('button[type=submit]');
  await page.waitForSelector('#template-name-error', WAIT);
  expect(await textOf(page, '#template-name-error')).toMatch(/already has a template named "welcome"/);
  expect(await valueOf(page, '#template-body')).toBe(
    'Hi {{contact.name}},\n{{#if orderId}}Order {{orderId}} shipped.{{/if}}',
  );
  expect(await valueOf(page, '#variable-example-0')).toBe('A-1001');

  await fill(page, '#template-name', 'order_shipped');
  await page.click('button[type=submit]');
  await page.waitForFunction(`/^\\/console\\/templates\\/tpl_/.test(location.pathname)`, WAIT);
  await page.waitForSelector('[data-testid=template-preview]', WAIT);
  expect(await textOf(page, '[data-testid=template-preview]')).toBe('Hi ,\nOrder A-1001 shipped.');
  await waitForText(page, 'No value for contact.name');
  const ada = await inPage<string>(
    page,
    `[...document.querySelectorAll('#preview-contact option')].find((o) => o.textContent.startsWith('Ada')).value`,
  );
  await page.select('#preview-contact', ada);
  await page.waitForFunction(
    `document.querySelector('[data-testid=template-preview]')?.textContent.startsWith('Hi Ada,')`,
    WAIT,
  );

  await page.click('.breadcrumb a');
  await waitForPath(page, '/console/templates');
  await page.waitForSelector('[data-testid=templates-table]', WAIT);
  const rows = await rowsOf(page, 'templates-table');
  expect(rows.map((r) => r.split('\t')[0])).toEqual(['welcome', 'order_shipped']);
  expect(rows[1]).toMatch(/Utility\ten\torderId/);
  await expectAccessible(page, 'templates');
});

it('contacts: a CSV import reports its bad row, search finds one, a tag is added (a bad one refused) and one opts out', async () => {
  const { page } = marketing;
  const csv = join(tmpdir(), `marketing-content-${process.pid}.csv`);
  writeFileSync(
    csv,
    'phone,name,tags\n+34612345001,Lucía Pérez,vip;es\nnot-a-phone,Bad Row,\n+34612345002,Marco Rossi,es\n',
  );
  await page.goto(url('/console/contacts'));
  await page.waitForSelector('#import-file', WAIT);
  const input = await page.$('#import-file');
  await input!.uploadFile(csv);
  await page.click('form[aria-labelledby=import-title] button[type=submit]');
  await page.waitForSelector('[data-testid=import-result]', WAIT);
  expect(await textOf(page, '[data-testid=import-result] p')).toBe(
    'Imported: 2 created, 0 updated, 1 failed.',
  );
  const errors = await rowsOf(page, 'import-errors');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^3\t.*invalid_phone/);
  await page.waitForFunction(`document.body.innerText.includes('Marco Rossi')`, WAIT);
  expect((await rowsOf(page, 'contacts-table')).join('\n')).toMatch(/Lucía Pérez/);

  await fill(page, '#contact-search', 'marco');
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid=contacts-table] tbody tr').length === 1`,
    WAIT,
  );
  expect((await rowsOf(page, 'contacts-table'))[0]).toMatch(/Marco Rossi/);
  const href = await inPage<string>(
    page,
    `document.querySelector('[data-testid=export-link]').getAttribute('href')`,
  );
  expect(href).toBe('/v1/contacts/export?q=marco');
  const exported = await inPage<string>(page, `fetch(${JSON.stringify(href)}).then((r) => r.text())`);
  expect(exported).toMatch(/Marco Rossi/);
  expect(exported).not.toMatch(/Lucía/);

  const id = await inPage<string>(
    page,
    `document.querySelector('[data-testid=contacts-table] tbody tr').dataset.contactId`,
  );
  await page.click('button[aria-label="Edit tags of Marco Rossi"]');
  await page.waitForSelector(`#tags-${id}`);
  await fill(page, `#tags-${id}`, 'es, bad tag!');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#tags-${id}-error`, WAIT);
  expect(await textOf(page, `#tags-${id}-error`)).toMatch(/slug/);
  expect(await valueOf(page, `#tags-${id}`)).toBe('es, bad tag!');
  await fill(page, `#tags-${id}`, 'es, Newsletter');
  await page.keyboard.press('Enter');
  await page.waitForFunction(`!document.querySelector('#tags-${id}')`, WAIT);
  expect(await textOf(page, `tr[data-contact-id="${id}"] .tags`)).toMatch(/^esnewsletter/);

  await page.click('button[aria-label="Opt out Marco Rossi"]');
  await page.waitForFunction(
    `document.querySelector('tr[data-contact-id="${id}"] [data-testid=opt-status]').innerText.includes('Opted out')`,
    WAIT,
  );
  const saved = await stack.http.get(`/v1/contacts/${id}`).set(auth(acme.key)).expect(200);
  expect(saved.body).toMatchObject({ tags: ['es', 'newsletter'], optOut: { optedOut: true } });

  // The search lives in the address: a reload shows the same form and the same contacts.
  await fill(page, '#contact-search', '');
  await fill(page, '#contact-tags', 'ES');
  await page.select('#contact-status', 'out');
  await page.click('form[role=search] button[type=submit]');
  await page.waitForFunction(`location.search === '?tags=es&optedOut=true'`, WAIT);
  await page.reload();
  await page.waitForSelector('[data-testid=contacts-table]', WAIT);
  expect(await valueOf(page, '#contact-search')).toBe('');
  expect(await valueOf(page, '#contact-tags')).toBe('es');
  expect(await valueOf(page, '#contact-status')).toBe('out');
  // Lucía has the tag too but is subscribed: only the opted-out Marco matches.
  const kept = await rowsOf(page, 'contacts-table');
  expect(kept).toHaveLength(1);
  expect(kept[0]).toMatch(/Marco Rossi/);
  expect(
    await inPage<string>(page, `document.querySelector('[data-testid=export-link]').getAttribute('href')`),
  ).toBe('/v1/contacts/export?tag=es&optedOut=true');
  await expectAccessible(page, 'contacts');
});

it('a viewer sees templates and contacts without edit controls; another account’s template never shows', async () => {
  const secret = await stack.http
    .post('/v1/templates')
    .set(auth(other.key))
    .send({ name: 'other_secret', language: 'en', category: 'utility', body: 'Not yours' })
    .expect(201);
  const who = await person(stack.http, acme, 'viewer');
  const viewer = await signedInPage(browser, stack.baseUrl, who.email, PASSWORD, {
    next: '/console/templates',
  });
  opened.push(viewer);
  const { page } = viewer;

  await page.waitForSelector('[data-testid=templates-table]', WAIT);
  expect((await rowsOf(page, 'templates-table')).map((r) => r.split('\t')[0])).toEqual([
    'welcome',
    'order_shipped',
  ]);
  expect(await page.$('a[href="/console/templates/new"]')).toBeNull();
  await page.waitForSelector('[data-testid=read-only-note]');

  await page.click('::-p-text(order_shipped)');
  await page.waitForSelector('[data-testid=template-body-view]', WAIT);
  expect(await textOf(page, '[data-testid=template-body-view]')).toMatch(/\{\{#if orderId\}\}/);
  expect(await page.$('#template-body')).toBeNull();
  expect(await page.$('button[type=submit]')).toBeNull();
  await page.waitForSelector('[data-testid=read-only-note]');

  await page.goto(url(`/console/templates/${secret.body.id as string}`));
  await waitForText(page, 'There is no such template in your account.');
  await marketing.page.goto(url(`/console/templates/${secret.body.id as string}`));
  await waitForText(marketing.page, 'There is no such template in your account.');

  await page.goto(url('/console/contacts'));
  await page.waitForSelector('[data-testid=contacts-table]', WAIT);
  await page.waitForSelector('[data-testid=read-only-note]');
  expect(await page.$('#import-file')).toBeNull();
  expect(await page.$('button[aria-label^="Edit tags"]')).toBeNull();
  expect(await page.$('button[aria-label^="Opt"]')).toBeNull();
  expect((await rowsOf(page, 'contacts-table')).join('\n')).toMatch(/Opted out/);
});
