/**
 * The console's support pages in Chromium (issue 11): auto-reply rules made and tried in the page,
 * a conversation with its auto-reply, taking the chat over from the bot and answering, a FAQ bot
 * with its tester and unanswered questions, a viewer's read-only view, and another account's
 * things kept out. axe-core checks each main page; screenshots go to test-artifacts/console/.
 */
import type { Browser, Page } from 'puppeteer-core';
import { AUTOMATION_TEST_ENV, AutomationDriver, chatOf, ruleCacheCatchUp } from '../support/automation-stack';
import { auth } from '../support/connections-stack';
import { PASSWORD, person } from '../support/console-people';
import { MessagingStack } from '../support/messaging-stack';
import {
  ConsolePage,
  ensureConsoleBuilt,
  expectAccessible,
  fill,
  inPage,
  launchBrowser,
  pathOf,
  signedInPage,
  textOf,
  valueOf,
  waitForPath,
  waitForText,
} from './console-browser';

jest.setTimeout(180_000);

const PRICE_REPLY = 'Our prices start at 10 EUR.';
const CUSTOMER = '+15557300001';

let s: MessagingStack;
let browser: Browser;
let account: { id: string; key: string };
let other: { id: string; key: string };
let a: AutomationDriver;
let support: ConsolePage;
let ruleId: string;
const opened: ConsolePage[] = [];

beforeAll(async () => {
  ensureConsoleBuilt();
  s = await MessagingStack.start({ ...AUTOMATION_TEST_ENV, AUTOMATION_MAX_REPLIES_PER_CHAT: '10' });
  await s.startWorker();
  await s.stack.startGateway();
  account = await s.stack.account();
  other = await s.stack.account();
  a = new AutomationDriver(s, account.key, await s.readyConnection(account.key, '+15551260001'));
  const agent = await person(s.http, { ...account, keyId: '' }, 'support');
  browser = await launchBrowser();
  support = await signedInPage(browser, s.stack.baseUrl, agent.email, PASSWORD, {
    next: '/console/auto-replies',
  });
  opened.push(support);
});

afterAll(async () => {
  for (const p of opened) await p.context.close().catch(() => undefined);
  await browser?.close();
  await s?.close();
});

const url = (path: string) => `${s.stack.baseUrl}${path}`;

/** Sets an input as a person's typing would (time and date inputs take typing in the locale's format). */
const setInput = async (page: Page, selector: string, value: string): Promise<void> => {
  const found = await inPage<boolean>(
    page,
    `(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) return false;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, ${JSON.stringify(value)});
      el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`,
  );
  if (!found) throw new Error(`no input ${selector}`);
};

const savedRule = async (): Promise<{ conditions: { items: Record<string, unknown>[] } }> =>
  (await s.http.get(`/v1/auto-replies/${ruleId}`).set(auth(account.key)).expect(200)).body;

const dryRunShows = (page: Page, text: string) =>
  page.waitForFunction(
    `document.querySelector('[data-testid=dry-run-result]')?.innerText.includes(${JSON.stringify(text)})`,
    { timeout: 15_000 },
  );

const clickText = async (page: Page, selector: string, text: string): Promise<void> => {
  const clicked = await inPage<boolean>(
    page,
    `(() => { const el = [...document.querySelectorAll(${JSON.stringify(selector)})]
      .find((e) => e.textContent.trim() === ${JSON.stringify(text)}); el?.click(); return !!el; })()`,
  );
  if (!clicked) throw new Error(`no ${selector} reading "${text}"`);
};

it('a rule is made in the page (errors beside their field), tried, and answers a real inbound message', async () => {
  const { page } = support;
  await waitForText(page, 'No rules yet.');
  await clickText(page, 'a', 'New rule');
  await page.waitForSelector('#rule-name');
  await fill(page, '#condition-0-value', 'price');
  await fill(page, '#action-0-text', PRICE_REPLY);
  await page.click('button[type=submit]');
  await page.waitForSelector('#rule-name-error');
  expect(await textOf(page, '#rule-name-error')).toMatch(/name/i);
  expect(await valueOf(page, '#action-0-text')).toBe(PRICE_REPLY);

  await fill(page, '#rule-name', 'Prices');
  await page.click('button[type=submit]');
  await page.waitForFunction(`location.pathname.startsWith('/console/auto-replies/ar_')`, {
    timeout: 15_000,
  });
  ruleId = decodeURIComponent(pathOf(page).split('/').pop()!);
  await page.waitForSelector('#dry-run-text');
  await expectAccessible(page, 'auto-reply-editor');

  await fill(page, '#dry-run-text', 'what is the price?');
  await clickText(page, 'button', 'Try it');
  await page.waitForFunction(
    `document.querySelector('[data-testid=dry-run-result]')?.innerText.includes('Matched: Prices')`,
    {
      timeout: 15_000,
    },
  );
  expect(await textOf(page, '[data-testid=dry-run-result]')).toContain(PRICE_REPLY);
  await fill(page, '#dry-run-text', 'hello there');
  await clickText(page, 'button', 'Try it');
  await page.waitForFunction(
    `document.querySelector('[data-testid=dry-run-result]')?.innerText.includes('No rule matched.')`,
    {
      timeout: 15_000,
    },
  );
  expect(await textOf(page, '[data-testid=dry-run-result]')).toContain("text does not contain 'price'");

  // An edit not saved yet is what the dry run tries; the saved rule stays as it was.
  await fill(page, '#condition-0-value', 'cost');
  await fill(page, '#dry-run-text', 'what does it cost?');
  await clickText(page, 'button', 'Try it');
  await dryRunShows(page, 'Matched: Prices (this rule, as edited)');
  expect(await textOf(page, '[data-testid=dry-run-result] tr[data-draft=true]')).toContain(
    "text contains 'cost'",
  );
  expect((await savedRule()).conditions.items[0]).toMatchObject({ value: 'price' });
  await fill(page, '#dry-run-text', 'what is the price?');
  await clickText(page, 'button', 'Try it');
  await dryRunShows(page, 'No rule matched.');
  await fill(page, '#condition-0-value', 'price');

  await page.goto(url('/console/auto-replies'));
  await page.waitForSelector(`[data-rule-id="${ruleId}"]`);
  expect(await textOf(page, '[data-testid=rules-table]')).toMatch(/Prices\s*Enabled/);
  await expectAccessible(page, 'auto-replies');

  await ruleCacheCatchUp();
  await a.inbound(CUSTOMER, 'price please');
  await page.goto(url('/console/conversations'));
  // The chat list is read again every few seconds: the chat shows without a reload.
  await page.waitForSelector(`[data-chat-id="${chatOf(CUSTOMER)}"] a`, { timeout: 30_000 });
  await expectAccessible(page, 'conversations');
  await page.click(`[data-chat-id="${chatOf(CUSTOMER)}"] a`);
  await waitForPath(page, `/console/conversations/${a.connectionId}/${CUSTOMER.slice(1)}`);
  // The address opens the chat on its own (a bookmark, a reload).
  await page.reload();
  await waitForText(page, PRICE_REPLY, 30_000);
  expect(await textOf(page, '.messages')).toMatch(/Customer.*price please/s);
  expect(await textOf(page, '.messages')).toMatch(/Auto-reply.*Our prices start at 10 EUR\./s);

  // Business hours with their editor (after the message above: the rule then answers only in them).
  await page.goto(url(`/console/auto-replies/${ruleId}`));
  await page.waitForSelector('#condition-0-value');
  await clickText(page, 'button', 'Add a condition');
  await page.select('#condition-1-type', 'businessHours');
  await page.waitForSelector('#condition-1-hours-zone');
  expect(await valueOf(page, '#condition-1-hours-zone')).toBe('America/New_York'); // the viewer's
  await page.select('#condition-1-hours-zone', 'Europe/Berlin');
  await setInput(page, '#condition-1-hours-mon-0-to', '12:30');
  await clickText(page, 'button', 'Add hours on Monday');
  await page.waitForSelector('#condition-1-hours-mon-1-from');
  await page.click('button[type=submit]');
  // Nothing is sent while a range lacks its times: the row says which, and everything typed stays.
  await waitForText(page, 'Monday (hours 2): choose both a start and an end time.');
  expect(await valueOf(page, '#condition-1-hours-mon-0-to')).toBe('12:30');
  await setInput(page, '#condition-1-hours-mon-1-from', '13:30');
  await setInput(page, '#condition-1-hours-mon-1-to', '18:00');
  await clickText(page, 'button', 'Copy to Tuesday–Friday');
  await clickText(page, 'button', 'Remove Friday, hours 2');
  await clickText(page, 'button', 'Remove Friday');
  await page.waitForSelector('[data-day=fri] .hours-closed');
  await clickText(page, 'button', 'Add hours on Saturday');
  await page.waitForSelector('#condition-1-hours-sat-0-from');
  await setInput(page, '#condition-1-hours-sat-0-from', '22:00');
  await setInput(page, '#condition-1-hours-sat-0-to', '02:00');
  await waitForText(page, 'Past midnight: until 02:00 on Sunday');
  await clickText(page, 'button', 'Add a holiday');
  await page.waitForSelector('#condition-1-hours-holiday-0');
  await setInput(page, '#condition-1-hours-holiday-0', '2026-12-25');
  await expectAccessible(page, 'auto-reply-business-hours');
  await page.click('button[type=submit]');
  await waitForText(page, 'Saved.');
  const split = [
    { from: '09:00', to: '12:30' },
    { from: '13:30', to: '18:00' },
  ];
  expect((await savedRule()).conditions.items).toEqual([
    expect.objectContaining({ type: 'text', value: 'price' }),
    {
      type: 'businessHours',
      inside: true,
      hours: {
        timeZone: 'Europe/Berlin',
        weekly: { mon: split, tue: split, wed: split, thu: split, sat: [{ from: '22:00', to: '02:00' }] },
        holidays: ['2026-12-25'],
      },
    },
  ]);
  await page.goto(url(`/console/conversations/${a.connectionId}/${CUSTOMER.slice(1)}`));
  await waitForText(page, PRICE_REPLY, 30_000);
});

it('in the conversation: take over (paused), reply from the page with its status, give back', async () => {
  const { page } = support;
  await page.waitForSelector('[data-testid=handoff-state][data-paused=false]');
  // Typed first: the polls of the messages and the hand-off state must not lose it.
  await page.type('#reply-text', 'Hi, Sam from support here.');
  await page.select('#take-over-minutes', '240');
  await clickText(page, 'button', 'Take over');
  await page.waitForSelector('[data-testid=handoff-state][data-paused=true]', { timeout: 30_000 });
  await waitForText(page, 'You took this chat over.');
  await expectAccessible(page, 'conversation');
  expect(await valueOf(page, '#reply-text')).toBe('Hi, Sam from support here.');

  await clickText(page, 'button', 'Send reply');
  await page.waitForFunction(
    `[...document.querySelectorAll('[data-testid=message]')].some((m) =>
      m.innerText.includes('Hi, Sam from support here.') && ['sent', 'delivered', 'read'].includes(m.dataset.status))`,
    { timeout: 30_000 },
  );
  expect(await valueOf(page, '#reply-text')).toBe('');
  const line = await inPage<string>(
    page,
    `[...document.querySelectorAll('[data-testid=message]')].find((m) => m.innerText.includes('Sam from support')).innerText`,
  );
  expect(line).toMatch(/Sent by a person/);
  expect(line).toMatch(/Sent|Delivered|Read/);

  await clickText(page, 'button', 'Give back to the bot');
  await page.waitForSelector('[data-testid=handoff-state][data-paused=false]', { timeout: 30_000 });
  await waitForText(page, 'The bot answers in this chat.');
  expect(support.problems).toEqual([]);
});

it('a FAQ bot: entries added, the tester answers, an unanswered question is listed', async () => {
  const { page } = support;
  await page.goto(url('/console/faq-bots'));
  await waitForText(page, 'No FAQ bots yet.');
  await fill(page, '#bot-name', 'Support FAQ');
  await clickText(page, 'button', 'Create bot');
  await page.waitForFunction(`location.pathname.startsWith('/console/faq-bots/faq_')`, { timeout: 15_000 });
  await page.waitForSelector('#entry-questions');

  await clickText(page, 'button', 'Add entry');
  await page.waitForSelector('#entry-questions-error');
  await fill(page, '#entry-questions', 'When are you open?');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Opening hours');
  await fill(page, '#entry-answer', 'We open at 9, Monday to Friday.');
  await clickText(page, 'button', 'Add entry');
  await page.waitForFunction(
    `document.querySelector('[data-testid=faq-entries]')?.innerText.includes('Opening hours')`,
    {
      timeout: 15_000,
    },
  );
  expect(await valueOf(page, '#entry-questions')).toBe('');

  await fill(page, '#ask-text', 'when do you open?');
  await clickText(page, 'button', 'Ask');
  await page.waitForSelector('[data-testid=ask-result]');
  expect(await textOf(page, '[data-testid=ask-result]')).toContain('We open at 9, Monday to Friday.');

  // A question nobody wrote an entry for, from a customer: the bot misses and the report lists it.
  await ruleCacheCatchUp();
  await a.inbound('+15557300002', 'Do you sell gift cards?');
  const deadline = Date.now() + 30_000;
  while (!(await textOf(page, '[data-testid=unanswered-table]')).includes('Do you sell gift cards?')) {
    if (Date.now() > deadline) throw new Error('the unanswered question did not show in the report');
    await clickText(page, 'button', 'Refresh report');
    await page.waitForFunction(`!document.body.innerText.includes('Loading…')`, { timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 300));
  }
  await expectAccessible(page, 'faq-bot');
});

it("a viewer sees rules without edit controls; another account's rule and chat never show", async () => {
  const viewerPerson = await person(s.http, { ...account, keyId: '' }, 'viewer');
  const viewer = await signedInPage(browser, s.stack.baseUrl, viewerPerson.email, PASSWORD, {
    next: '/console/auto-replies',
  });
  opened.push(viewer);
  const { page } = viewer;
  await page.waitForSelector(`[data-rule-id="${ruleId}"]`);
  await page.waitForSelector('[data-testid=read-only-note]');
  expect(
    await inPage<boolean>(
      page,
      `[...document.querySelectorAll('a')].some((e) => e.textContent === 'New rule')`,
    ),
  ).toBe(false);
  await page.click(`[data-rule-id="${ruleId}"] a`);
  await waitForText(page, 'Our prices start at 10 EUR.');
  expect(
    await inPage<number>(
      page,
      `document.querySelectorAll('main input, main textarea, main select, main form').length`,
    ),
  ).toBe(0);
  await page.waitForSelector('[data-testid=read-only-note]');

  const secret = await a.s.http
    .post('/v1/auto-replies')
    .set(auth(other.key))
    .send({ name: 'Secret rule', actions: [{ type: 'reply', text: 'secret' }] })
    .expect(201);
  const otherCon = await s.http
    .post('/v1/connections')
    .set(auth(other.key))
    .send({ name: 'theirs', driver: 'simulator' })
    .expect(201);

  const { page: mine } = support;
  await mine.goto(url('/console/auto-replies'));
  await mine.waitForSelector(`[data-rule-id="${ruleId}"]`);
  expect(await textOf(mine, '[data-testid=rules-table]')).not.toContain('Secret rule');
  await mine.goto(url(`/console/auto-replies/${secret.body.id as string}`));
  await waitForText(mine, 'There is no such rule in your account.');
  await mine.goto(url(`/console/conversations/${otherCon.body.id as string}/${CUSTOMER.slice(1)}`));
  await waitForText(mine, 'There is no such chat in your account.');
  await mine.goto(url('/console/conversations'));
  await mine.waitForSelector('#conversation-connection');
  expect(
    await inPage<string[]>(
      mine,
      `[...document.querySelectorAll('#conversation-connection option')].map((o) => o.value)`,
    ),
  ).toEqual([a.connectionId]);
});
