import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { Browser, BrowserContext, Page } from 'puppeteer-core';

const ROOT = join(__dirname, '../../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts/console');
const DIST_INDEX = join(ROOT, 'dist/console/index.html');
const SOURCES = join(ROOT, 'apps/console');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    if (entry.name === 'schema.d.ts') return newest;
    const mtime = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    return Math.max(newest, mtime);
  }, 0);
}

/** Builds the console unless dist/console is there and newer than every source file of it. */
export function ensureConsoleBuilt(): void {
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= newestSource(SOURCES)) return;
  execFileSync('npm', ['run', '-s', 'build:console'], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: 300_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export async function launchBrowser(): Promise<Browser> {
  const root = process.getuid?.() === 0;
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Chromium refuses its sandbox as root (CI containers); as any other user it keeps it.
    args: [...(root ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--lang=en-US'],
    defaultViewport: { width: 1280, height: 860 },
  });
}

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Content-Security-Policy violations and uncaught errors the page reported. */
  problems: string[];
}

/** A page in its own browser context (its own cookies: one signed-in person). */
export async function openPage(browser: Browser, timeZone = 'America/New_York'): Promise<ConsolePage> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.emulateTimezone(timeZone);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  return { page, context, problems };
}

/** Runs an expression in the page (strings: the test project has no DOM types). */
export const inPage = <T>(page: Page, expression: string): Promise<T> =>
  page.evaluate(expression) as Promise<T>;

export const textOf = (page: Page, selector: string): Promise<string> =>
  inPage(page, `document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`);

export const valueOf = (page: Page, selector: string): Promise<string> =>
  inPage(page, `document.querySelector(${JSON.stringify(selector)})?.value ?? ''`);

export const pathOf = (page: Page): string => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

/** Waits until the page's text contains `text`. */
export async function waitForText(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(text)})`, { timeout });
}

export async function waitForPath(page: Page, path: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(`location.pathname + location.search === ${JSON.stringify(path)}`, { timeout });
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core in the page: the serious and critical violations (WCAG 2.x A/AA rules and best practices). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await inPage(page, `${AXE}; true`);
  const violations = await inPage<AxeViolation[]>(
    page,
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
    })))`,
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}

/** Types into an input after clearing it. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector, { clickCount: 3 });
  await page.keyboard.press('Backspace');
  if (value) await page.type(selector, value);
}

/** Saves the page as a screenshot and expects axe to find no serious or critical violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
}

/**
 * A person of `role` signed in to the console in a browser context of their own: invited and
 * accepted through the API (`person` in console-people), then signed in through the sign-in page.
 * Lands on `next` (default: connections).
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  options: { timeZone?: string; next?: string } = {},
): Promise<ConsolePage> {
  const p = await openPage(browser, options.timeZone);
  const next = options.next ?? '/console/connections';
  await p.page.goto(`${baseUrl}/console/sign-in?${new URLSearchParams({ next }).toString()}`);
  await p.page.waitForSelector('#email');
  await fill(p.page, '#email', email);
  await fill(p.page, '#password', password);
  await p.page.keyboard.press('Enter');
  await waitForPath(p.page, next);
  return p;
}
