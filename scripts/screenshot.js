// Renders the demo report (npm run screenshot) and saves docs/report.png for the README.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { main } from '../dist/cli/main.js';
import { processIo } from '../dist/cli/io.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'kubetriage-screenshot-'));
const report = join(dir, 'report.html');
const output = join(root, 'docs', 'report.png');

try {
  const code = await main(['scan', '--demo', '--format', 'html', '--output', report], processIo());
  if (code !== 0) throw new Error(`kubetriage scan --demo exited ${code}`);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, deviceScaleFactor: 1, colorScheme: 'light' });
    await page.goto(pathToFileURL(report).href);
    await page.waitForSelector('html[data-ready="true"]');
    // The top of the report (header, filters, the first chains) keeps the README readable.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: output, fullPage: true, clip: { x: 0, y: 0, width: 1100, height: Math.min(height, 1800) } });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${output}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
