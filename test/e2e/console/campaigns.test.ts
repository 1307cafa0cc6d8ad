/**
 * The console's campaign pages in Chromium against the real API, worker (scheduler, analytics)
 * and gateway (simulator driver), Kafka and FerretDB: a marketing user builds a campaign with a
 * recurring schedule in a chosen zone and sees its next five runs, saves it, dry-runs it, runs it
 * now and follows the run live to its report; a viewer sees campaigns without controls, and
 * another account's campaign never shows. axe checks each page; screenshots under
 * test-artifacts/console/.
 */
import { DateTime } from 'luxon';
import type { Browser, Page } from 'puppeteer-core';
import { auth } from '../support/connections-stack';
import { PASSWORD, person } from '../support/console-people';
import { accountWithKey, CreatedAccount } from '../support/e2e-app';
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
  waitForText,
} from './console-browser';

jest.setTimeout(180_000);

const ZONE = 'Asia/Tokyo';
const PHONES = ['+15557730001', '+15557730002', '+15557730003'];

let s: MessagingStack;
let browser: Browser;
let acc: CreatedAccount;
let connectionId: string;
let templateId: string;
let theirCampaign: string;
let marketing: ConsolePage;
let campaignId = '';
let scheduledId = '';
let scheduledAt: DateTime;
const opened: ConsolePage[] = [];

beforeAll(async () => {
  ensureConsoleBuilt();
  s = await MessagingStack.start();
  await s.startWorker();
  await s.stack.startGateway();
  acc = await accountWithKey(s.http);
  connectionId = await s.readyConnection(acc.key, '+15557739999');
  const template = await s.http
    .post('/v1/templates')
    .set(auth(acc.key))
    .send({
      name: 'console offer',
      language: 'en',
      category: 'marketing',
      body: 'Hi {{contact.name}}, {{offer}}',
      variables: [{ name: 'offer', example: '10% off' }],
    })
    .expect(201);
  templateId = template.body.id as string;
  for (const [i, phone] of PHONES.entries()) {
    await s.http
      .post('/v1/contacts')
      .set(auth(acc.key))
      .send({ phone, name: `Buyer ${i + 1}`, tags: ['vip'] })
      .expect(201);
  }
  await s.http
    .post('/v1/contacts')
    .set(auth(acc.key))
    .send({ phone: '+15557730009', tags: ['other'] });

  // Another account with a campaign of its own, which must never show.
  const other = await accountWithKey(s.http);
  const theirCon = await s.http
    .post('/v1/connections')
    .set(auth(other.key))
    .send({ name: 'theirs' })
    .expect(201);
  const theirTpl = await s.http
    .post('/v1/templates')
    .set(auth(other.key))
    .send({ name: 'theirs', language: 'en', category: 'marketing', body: 'Hello' })
    .expect(201);
  const theirs = await s.http
    .post('/v1/campaigns')
    .set(auth(other.key))
    .send({
      name: 'Other company promo',
      connectionIds: [theirCon.body.id],
      templateId: theirTpl.body.id,
      audience: { tags: ['vip'] },
      schedule: { type: 'cron', expression: '0 9 * * MON', timeZone: 'UTC' },
    })
    .expect(201);
  theirCampaign = theirs.body.id as string;

  browser = await launchBrowser();
  const who = await person(s.http, acc, 'marketing');
  marketing = await signedInPage(browser, s.stack.baseUrl, who.email, PASSWORD, {
    next: '/console/campaigns',
  });
  opened.push(marketing);
});

afterAll(async () => {
  for (const p of opened) await p.context.close().catch(() => undefined);
  await browser?.close();
  if (campaignId) await s?.http.post(`/v1/campaigns/${campaignId}/cancel`).set(auth(acc.key));
  await s?.close();
});

/** Sets an input's value as typing would (date, time and number inputs included). */
async function setValue(page: Page, selector: string, value: string): Promise<void> {
  await inPage(
    page,
    `(() => {
      const el = document.querySelector(${JSON.stringify(selector)});
      const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, ${JSON.stringify(value)});
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    })()`,
  );
}

/** The next `n` Mondays and Thursdays at 09:00 in Tokyo, worked out here with luxon. */
function nextMondaysAndThursdays(n: number): string[] {
  const out: string[] = [];
  let t = DateTime.now().setZone(ZONE).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  while (out.length < n) {
    if ((t.weekday === 1 || t.weekday === 4) && t.toMillis() > Date.now()) {
      out.push(t.toFormat("yyyy-MM-dd'T'HH:mm"));
    }
    t = t.plus({ days: 1 });
  }
  return out;
}

it('builds a campaign: zone, weekly schedule with its next 5 runs in that zone, save, dry run', async () => {
  const { page } = marketing;
  await waitForText(page, 'No campaigns yet.');
  await page.click('a[href="/console/campaigns/new"]');
  await page.waitForSelector('#campaign-name');
  // The schedule starts in the viewer's own zone (this browser is in New York).
  expect(await valueOf(page, '#schedule-zone')).toBe('America/New_York');

  await fill(page, '#campaign-name', 'Tokyo weekly');
  await page.click(`#connection-${connectionId}`);
  await page.select('#campaign-template', templateId);
  await page.waitForSelector('#variable-offer');
  await fill(page, '#variable-offer', '20% off');
  await fill(page, '#audience-tags', 'vip');

  // A cron too frequent for a campaign: the API's reason shows under the cron field.
  await page.select('#schedule-mode', 'cron');
  await page.waitForSelector('#schedule-cron');
  await fill(page, '#schedule-cron', '*/5 * * * *');
  await page.waitForSelector('#schedule-cron-error', { timeout: 15_000 });
  expect(await textOf(page, '#schedule-cron-error')).toMatch(/hour/);

  await page.select('#schedule-mode', 'weekly');
  await page.select('#schedule-zone', ZONE);
  await page.click('#schedule-day-th');
  const expected = nextMondaysAndThursdays(5);
  await page.waitForFunction(
    `[...document.querySelectorAll('[data-testid=occurrences] li')].map((li) => li.dataset.local).join() === ${JSON.stringify(expected.join())}`,
    { timeout: 15_000 },
  );
  expect(await textOf(page, '#occurrences-title')).toBe(`Next runs (${ZONE})`);
  const shown = await inPage<string[]>(
    page,
    `[...document.querySelectorAll('[data-testid=occurrences] li time')].map((t) => t.textContent)`,
  );
  expect(shown).toHaveLength(5);
  for (const text of shown) expect(text).toMatch(/^(Mon|Thu), .* 09:00 AM GMT\+9$/);

  await setValue(page, '#pacing-rate', '60');
  await setValue(page, '#pacing-jitter', '0');
  await page.click('#pacing-quiet');
  await page.click('#pacing-cap');
  await expectAccessible(page, 'campaign-editor');

  await page.click('button[type=submit]');
  await page.waitForFunction(`location.pathname.startsWith('/console/campaigns/cmp_')`, { timeout: 15_000 });
  campaignId = decodeURIComponent(pathOf(page).split('/').pop()!);
  await page.waitForSelector('[data-testid=campaign-state]');
  expect(await textOf(page, '[data-testid=campaign-state]')).toBe('Active');

  const saved = await s.http.get(`/v1/campaigns/${campaignId}`).set(auth(acc.key)).expect(200);
  expect(saved.body).toMatchObject({
    name: 'Tokyo weekly',
    connectionIds: [connectionId],
    templateId,
    variables: { offer: '20% off' },
    audience: { tags: ['vip'], contactIds: [] },
    schedule: { type: 'rrule', timeZone: ZONE },
    pacing: { messagesPerMinute: 60, jitter: 0, quietHours: null, frequencyCap: null },
  });
  expect(saved.body.schedule.rule).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0$/);
  expect(saved.body.nextRunAt).toBe(DateTime.fromISO(expected[0]!, { zone: ZONE }).toUTC().toISO());

  await page.click('xpath/.//button[normalize-space()="Dry run"]');
  await page.waitForSelector('[data-testid=dry-run-targeted]', { timeout: 30_000 });
  expect(await textOf(page, '[data-testid=dry-run-targeted]')).toBe('3');
  expect(await textOf(page, '[data-testid=dry-run-pending]')).toBe('3');
  await waitForText(page, 'Hi Buyer 1, 20% off');
  await expectAccessible(page, 'campaign-detail');

  await page.click('xpath/.//button[normalize-space()="Pause"]');
  await page.waitForFunction(
    `document.querySelector('[data-testid=campaign-state]').textContent === 'Paused'`,
  );
  expect(await textOf(page, '[data-testid=campaign-next-run]')).toBe('—');
  await page.click('xpath/.//button[normalize-space()="Resume"]');
  await page.waitForFunction(
    `document.querySelector('[data-testid=campaign-state]').textContent === 'Active'`,
  );
  expect((await s.http.get(`/v1/campaigns/${campaignId}`).set(auth(acc.key))).body.state).toBe('active');
  expect(marketing.problems).toEqual([]);
});

it('schedules a one-off run in the page, a minute ahead at most (the run is watched in the last case)', async () => {
  const { page } = marketing;
  // The next whole minute at least 25 s away, in the viewer's zone (the form's default zone);
  // the cases in between run while it comes.
  scheduledAt = DateTime.now()
    .setZone('America/New_York')
    .plus({ seconds: 25 })
    .startOf('minute')
    .plus({ minutes: 1 });
  await page.goto(`${s.stack.baseUrl}/console/campaigns/new`);
  await page.waitForSelector('#campaign-name');
  await fill(page, '#campaign-name', 'One-off reminder');
  await page.click(`#connection-${connectionId}`);
  await page.select('#campaign-template', templateId);
  await page.waitForSelector('#variable-offer');
  await fill(page, '#variable-offer', 'last call');
  await fill(page, '#audience-tags', 'vip');
  await page.select('#schedule-mode', 'once');
  await page.waitForSelector('#schedule-at');
  await setValue(page, '#schedule-at', scheduledAt.toFormat("yyyy-MM-dd'T'HH:mm"));
  await page.waitForFunction(
    `[...document.querySelectorAll('[data-testid=occurrences] li')].map((li) => li.dataset.local).join() === ${JSON.stringify(scheduledAt.toFormat("yyyy-MM-dd'T'HH:mm"))}`,
    { timeout: 15_000 },
  );
  // The same people get the first campaign's run-now message around the same time: no frequency
  // cap, and no quiet hours whatever the hour CI runs at.
  await setValue(page, '#pacing-rate', '60');
  await page.click('#pacing-quiet');
  await page.click('#pacing-cap');
  await page.click('button[type=submit]');
  await page.waitForFunction(
    `location.pathname.startsWith('/console/campaigns/cmp_') && !location.pathname.endsWith(${JSON.stringify(campaignId)})`,
    { timeout: 15_000 },
  );
  scheduledId = decodeURIComponent(pathOf(page).split('/').pop()!);
  const saved = await s.http.get(`/v1/campaigns/${scheduledId}`).set(auth(acc.key)).expect(200);
  expect(saved.body.nextRunAt).toBe(scheduledAt.toUTC().toISO({ suppressMilliseconds: false }));
  expect(saved.body.pacing).toMatchObject({ quietHours: null, frequencyCap: null });
  expect(marketing.problems).toEqual([]);
});

it('runs it now and follows the run live to completed, with the report chart and its table', async () => {
  const { page } = marketing;
  await page.goto(`${s.stack.baseUrl}/console/campaigns/${campaignId}`);
  await page.waitForSelector('[data-testid=campaign-state]');
  await page.click('xpath/.//button[normalize-space()="Run now"]');
  await page.waitForFunction(`location.pathname.includes('/runs/')`, { timeout: 15_000 });
  await page.waitForSelector('[data-testid=run-state] [data-state=completed]', { timeout: 90_000 });
  expect(await textOf(page, '[data-testid=progress-targeted]')).toBe('3');
  expect(await textOf(page, '[data-testid=progress-sent]')).toBe('3');

  // Statuses settle and analytics counts seconds behind: the page reads them again meanwhile.
  await page.waitForFunction(
    `document.querySelector('[data-testid=run-funnel-table] tr[data-stage=Sent] td')?.textContent === '3'`,
    { timeout: 30_000 },
  );
  await page.waitForFunction(
    `document.querySelector('[data-testid=run-daily-table] td[data-series=sent]')?.textContent === '3'`,
    { timeout: 30_000 },
  );
  expect(await page.$('[data-testid=run-funnel] svg')).not.toBeNull();
  expect(await page.$('[data-testid=run-daily] svg')).not.toBeNull();
  const phones = await inPage<string[]>(
    page,
    `[...document.querySelectorAll('[data-testid=recipients-table] tbody th')].map((th) => th.textContent)`,
  );
  expect(phones.sort()).toEqual(PHONES);
  await expectAccessible(page, 'campaign-run');

  await page.click('a[href="/console/campaigns"]');
  await page.waitForSelector(`tr[data-campaign-id="${campaignId}"] a[href*="/runs/"]`);
  expect(await textOf(page, `tr[data-campaign-id="${campaignId}"]`)).toMatch(/Completed/);
  await expectAccessible(page, 'campaigns');
  expect(marketing.problems).toEqual([]);
});

it("a viewer sees the campaign without controls; another account's campaign never shows", async () => {
  const who = await person(s.http, acc, 'viewer');
  const viewer = await signedInPage(browser, s.stack.baseUrl, who.email, PASSWORD, {
    next: '/console/campaigns',
    timeZone: 'Europe/Berlin',
  });
  opened.push(viewer);
  const { page } = viewer;
  await page.waitForSelector(`tr[data-campaign-id="${campaignId}"]`);
  const rows = await inPage<string[]>(
    page,
    `[...document.querySelectorAll('tr[data-campaign-id]')].map((r) => r.dataset.campaignId)`,
  );
  expect(rows.sort()).toEqual([campaignId, scheduledId].sort());
  expect(await inPage(page, `document.body.innerText.includes('Other company promo')`)).toBe(false);
  expect(await page.$('a[href="/console/campaigns/new"]')).toBeNull();
  expect(await textOf(page, '[data-testid=read-only-note]')).toMatch(/Viewer/);

  await page.click(`tr[data-campaign-id="${campaignId}"] th a`);
  await page.waitForSelector('#campaign-name');
  expect(await valueOf(page, '#campaign-name')).toBe('Tokyo weekly');
  expect(await inPage(page, `document.querySelector('#campaign-name').closest('fieldset').disabled`)).toBe(
    true,
  );
  const buttons = await inPage<string[]>(
    page,
    `[...document.querySelectorAll('main button')].map((b) => b.textContent.trim())`,
  );
  for (const control of [
    'Run now',
    'Dry run',
    'Pause',
    'Cancel campaign',
    'Delete campaign',
    'Save changes',
  ]) {
    expect(buttons).not.toContain(control);
  }
  expect(await textOf(page, '[data-testid=read-only-note]')).toMatch(/Viewer/);
  await page.waitForSelector('[data-testid=runs-table]');
  await expectAccessible(page, 'viewer-campaign');

  await page.goto(`${s.stack.baseUrl}/console/campaigns/${theirCampaign}`);
  await waitForText(page, 'There is no such campaign in your account.');
  expect(await inPage(page, `document.body.innerText.includes('Other company promo')`)).toBe(false);
  expect(viewer.problems).toEqual([]);
});

it('the scheduled one-off run starts on its own and the page follows it to completed', async () => {
  const { page } = marketing;
  await page.goto(`${s.stack.baseUrl}/console/campaigns/${scheduledId}`);
  // Nobody clicks anything now: the run appears in the page when the schedule fires, and completes.
  await page.waitForSelector(
    '[data-testid=runs-table] tr[data-run-kind=scheduled][data-run-state=completed]',
    {
      timeout: 150_000,
    },
  );
  await page.click('[data-testid=runs-table] tr[data-run-kind=scheduled] a');
  await page.waitForSelector('[data-testid=run-state] [data-state=completed]', { timeout: 30_000 });
  expect(await textOf(page, '[data-testid=progress-targeted]')).toBe('3');
  expect(await textOf(page, '[data-testid=progress-sent]')).toBe('3');
  const runs = await s.http.get(`/v1/campaigns/${scheduledId}/runs`).set(auth(acc.key)).expect(200);
  expect(runs.body.data).toEqual([expect.objectContaining({ kind: 'scheduled', state: 'completed' })]);
  expect(new Date(runs.body.data[0].occurrence as string).toISOString()).toBe(scheduledAt.toUTC().toISO());
  expect(marketing.problems).toEqual([]);
});
