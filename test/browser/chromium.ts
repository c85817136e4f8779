import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH overrides. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`the browser tests need Chromium at ${chromiumPath}: apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page that records everything that would make a report untrustworthy. */
export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** URLs requested other than the report itself. */
  readonly requests: string[];
  readonly consoleErrors: string[];
}

export async function openReport(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  // Nothing may leave the page: record and refuse every request but the report's own.
  await context.route('**/*', async (route) => {
    if (route.request().url() === url) await route.continue();
    else {
      requests.push(route.request().url());
      await route.abort();
    }
  });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (request.url() !== url && !requests.includes(request.url())) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(url);
  return { context, page, requests, consoleErrors };
}
