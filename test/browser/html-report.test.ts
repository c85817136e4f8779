/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { severities } from '../../src/engine/types.js';
import { renderHtml } from '../../src/report/html/render.js';
import { toJsonReport } from '../../src/report/json.js';
import type { JsonReport } from '../report/results.js';
import { commandsInReportOrder, demoResult, hostile, runCli, syntheticResult, withHostileValues } from '../report/results.js';
import { launchChromium, openReport } from './chromium.js';

let browser: Browser;
let dir: string;
const reports: Record<'demo' | 'hostile' | 'chains' | 'large', { url: string; path: string; json: JsonReport }> = {} as never;

const fileUrl = (path: string): string => pathToFileURL(path).href;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubetriage-html-'));
  // The demo report exactly as the CLI writes it; its JSON twin from the same scan.
  const demoPath = join(dir, 'demo.html');
  await runCli(['scan', '--demo', '--format', 'html', '--output', demoPath]);
  reports.demo = { path: demoPath, url: fileUrl(demoPath), json: JSON.parse(await runCli(['scan', '--demo', '--format', 'json'])) as JsonReport };
  const write = (name: 'hostile' | 'chains' | 'large', result: Parameters<typeof renderHtml>[0]): void => {
    const path = join(dir, `${name}.html`);
    writeFileSync(path, renderHtml(result));
    reports[name] = { path, url: fileUrl(path), json: toJsonReport(result) as JsonReport };
  };
  write('hostile', withHostileValues(await demoResult()));
  write('chains', syntheticResult(60));
  write('large', syntheticResult(5000));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

interface NodeState { readonly id: string; readonly visible: boolean; readonly context: boolean; readonly hasVisibleMatchBelow: boolean }

function nodeStates(page: Page): Promise<NodeState[]> {
  return page.$$eval('li.node', (nodes) =>
    nodes.map((node) => ({
      id: node.getAttribute('data-id') ?? '',
      visible: node.checkVisibility(),
      context: node.classList.contains('context'),
      hasVisibleMatchBelow: [...node.querySelectorAll('li.node')].some((n) => n.checkVisibility() && !n.classList.contains('context')),
    })),
  );
}

/** After a filter, exactly the expected findings are shown as matches; the rest only as context of a match, or hidden. */
async function expectShown(page: Page, expected: ReadonlySet<string>): Promise<void> {
  // Some controls apply on the next task (a form reset fires before the fields are cleared):
  // on a busy machine, let the page settle before judging it.
  let states = await nodeStates(page);
  for (let attempt = 0; attempt < 50 && !sameSet(states.filter((s) => s.visible && !s.context).map((s) => s.id), expected); attempt++) {
    await page.waitForTimeout(100);
    states = await nodeStates(page);
  }
  const matched = states.filter((s) => s.visible && !s.context).map((s) => s.id);
  expect(new Set(matched)).toEqual(expected);
  for (const state of states.filter((s) => s.visible && s.context)) expect(state.hasVisibleMatchBelow, state.id).toBe(true);
  expect(await page.getAttribute('#shown', 'data-matched')).toBe(String(expected.size));
  expect(await page.isVisible('#nothing')).toBe(expected.size === 0);
}

function sameSet(ids: readonly string[], expected: ReadonlySet<string>): boolean {
  return ids.length === expected.size && ids.every((id) => expected.has(id));
}

// A real browser on a busy CI machine: generous timeouts; the assertions are what matter.
describe('the demo HTML report in chromium', { timeout: 120_000 }, () => {
  it('is self-contained and small: under 300 KB, no request leaves the page, no console error', async () => {
    const size = statSync(reports.demo.path).size;
    console.log(`demo report: ${(size / 1024).toFixed(1)} KB, ${reports.demo.json.findings.length} finding(s)`);
    expect(size).toBeLessThan(300 * 1024);
    const { page, context, requests, consoleErrors } = await openReport(browser, reports.demo.url);
    await page.waitForSelector('html[data-ready="true"]');
    await page.click('#expand');
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows the counts of the JSON result', async () => {
    const { json, url } = reports.demo;
    const { page, context } = await openReport(browser, url);
    for (const severity of severities) {
      expect(await page.textContent(`[data-count="${severity}"] .n`), severity).toBe(String(json.summary[severity]));
    }
    expect(await page.textContent('[data-count="objects"]')).toBe(String(json.summary.objects));
    expect(await page.textContent('[data-count="findings"]')).toBe(String(json.findings.length));
    const ids = await page.$$eval('li.node', (nodes) => nodes.map((n) => n.getAttribute('data-id')));
    expect(ids.slice().sort()).toEqual(json.findings.map((f) => f.id).sort());
    expect(await page.textContent('.source strong')).toBe(json.source.name);
    await context.close();
  });

  for (const name of ['demo', 'chains'] as const) {
    it(`filters by severity, namespace, rule and search and hide and show the right findings (${name})`, async () => {
      const { json, url } = reports[name];
      const { page, context, consoleErrors } = await openReport(browser, url);
      await page.waitForSelector('html[data-ready="true"]');
      const all = new Set(json.findings.map((f) => f.id));
      const where = (keep: (f: JsonReport['findings'][number]) => boolean): Set<string> => new Set(json.findings.filter(keep).map((f) => f.id));
      await expectShown(page, all);

      const severityOptions = await page.$$eval('select[name=severity] option', (options) => options.map((o) => o.getAttribute('value') ?? ''));
      expect(severityOptions).toEqual(['*', ...severities.filter((s) => json.findings.some((f) => f.severity === s))]);
      for (const severity of severityOptions.slice(1)) {
        await page.selectOption('select[name=severity]', severity);
        await expectShown(page, where((f) => f.severity === severity));
      }
      await page.selectOption('select[name=severity]', '*');

      const namespaces = [...new Set(json.findings.map((f) => f.object.namespace ?? ''))];
      for (const namespace of namespaces) {
        await page.selectOption('select[name=namespace]', namespace);
        await expectShown(page, where((f) => (f.object.namespace ?? '') === namespace));
      }
      await page.selectOption('select[name=namespace]', '*');

      for (const rule of new Set(json.findings.map((f) => f.rule))) {
        await page.selectOption('select[name=rule]', rule);
        await expectShown(page, where((f) => f.rule === rule));
      }
      // Filters combine.
      const first = json.findings[0];
      if (first) {
        await page.selectOption('select[name=rule]', first.rule);
        await page.selectOption('select[name=severity]', first.severity);
        await expectShown(page, where((f) => f.rule === first.rule && f.severity === first.severity));
        await page.selectOption('select[name=rule]', '*');
        await page.selectOption('select[name=severity]', '*');
        // Search: every word must occur in the finding's text.
        await page.fill('input[name=q]', `${first.object.name} ${first.message.split(' ').at(-1) ?? ''}`.toUpperCase());
        const words = [first.object.name, first.message.split(' ').at(-1) ?? ''].map((w) => w.toLowerCase());
        // A finding's text includes the names of its causes (its "Caused by" links).
        const name = (o: JsonReport['findings'][number]['object']): string => `${o.namespace ?? ''}/${o.kind.toLowerCase()}/${o.name}`;
        const searchable = (f: JsonReport['findings'][number]): string =>
          [f.severity, name(f.object), f.rule, f.title, f.message, ...f.evidence, f.rootCause, ...f.fix.flatMap((s) => [s.description, s.command ?? '']),
            ...f.causedBy.flatMap((id) => { const c = json.findings.find((x) => x.id === id); return c ? [name(c.object)] : []; })].join(' ').toLowerCase();
        await expectShown(page, where((f) => words.every((w) => searchable(f).includes(w))));
      }
      await page.fill('input[name=q]', 'no finding says this 0f9e8d');
      await expectShown(page, new Set());
      expect(await page.$$eval('section.chain', (sections) => sections.every((s) => s.hasAttribute('hidden')))).toBe(true);
      await page.click('button[type=reset]');
      await expectShown(page, all);
      expect(consoleErrors).toEqual([]);
      await context.close();
    });
  }

  it('draws chains root cause first, effects nested beneath their cause', async () => {
    const { json, url } = reports.chains;
    const { page, context } = await openReport(browser, url);
    const parents = await page.$$eval('li.node', (nodes) =>
      nodes.map((n) => [n.getAttribute('data-id') ?? '', n.parentElement?.closest('li.node')?.getAttribute('data-id') ?? null] as const));
    const ids = new Set(json.findings.map((f) => f.id));
    for (const [id, parent] of parents) {
      const finding = json.findings.find((f) => f.id === id);
      const causes = (finding?.causedBy ?? []).filter((c) => ids.has(c));
      if (causes.length === 0) expect(parent, id).toBeNull();
      else expect(causes, id).toContain(parent);
    }
    await context.close();
  });

  it('copies the exact command with the copy button (clipboard API)', async () => {
    const { json, url } = reports.hostile;
    const { page, context, consoleErrors } = await openReport(browser, url, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.waitForSelector('html[data-ready="true"]');
    await page.click('#expand');
    // The buttons follow the chains (root causes first, effects beneath), not the result's order.
    const commands = commandsInReportOrder(json.findings);
    const buttons = page.locator('button.copy');
    expect(await buttons.count()).toBe(commands.length);
    for (const index of [0, commands.length - 1]) {
      await buttons.nth(index).click();
      await page.waitForFunction((i) => document.querySelectorAll('button.copy')[i]?.textContent === 'Copied', index);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(commands[index]);
    }
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('copies through the execCommand fallback when the clipboard API is missing', async () => {
    const { json, url } = reports.demo;
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined });
      const copied: string[] = [];
      (window as unknown as { copied: string[] }).copied = copied;
      Object.defineProperty(document, 'execCommand', {
        value: (command: string): boolean => {
          const active = document.activeElement;
          if (command === 'copy' && active instanceof HTMLTextAreaElement) copied.push(active.value.slice(active.selectionStart, active.selectionEnd));
          return command === 'copy';
        },
      });
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.click('#expand');
    const command = commandsInReportOrder(json.findings)[0];
    if (command !== undefined) {
      await page.locator('button.copy').first().click();
      await page.waitForFunction(() => document.querySelector('button.copy')?.textContent === 'Copied');
      expect(await page.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([command]);
    }
    await context.close();
  });

  it('renders an injected <script> label as text and never runs it', async () => {
    const { url, json } = reports.hostile;
    const { page, context, consoleErrors, requests } = await openReport(browser, url);
    await page.waitForSelector('html[data-ready="true"]');
    await page.click('#expand');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.scripts.length)).toBe(1);
    expect(await page.locator('img, [onerror]').count()).toBe(0);
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain(hostile);
    const first = json.findings[0];
    if (first) expect(await page.textContent(`#f-${first.id} .obj`)).toContain(`<script>window.__pwned = 1</script>`);
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('keeps the essentials without JavaScript: every finding, its evidence and commands; no dead controls', async () => {
    const { url, json } = reports.demo;
    const { page, context } = await openReport(browser, url, { javaScriptEnabled: false });
    expect(await page.locator('li.node').count()).toBe(json.findings.length);
    expect(await page.isVisible('#filters')).toBe(false);
    expect(await page.locator('button.copy:visible').count()).toBe(0);
    const first = json.findings[0];
    if (first) {
      await page.click(`#f-${first.id} > summary`);
      for (const line of first.evidence) expect(await page.textContent(`#f-${first.id}`)).toContain(line);
      const command = first.fix.find((s) => s.command !== undefined)?.command;
      if (command !== undefined) expect(await page.locator(`#f-${first.id} pre code`).first().textContent()).toBe(command);
    }
    await context.close();
  });

  it('fits a phone screen and follows the system colour scheme', async () => {
    const { url } = reports.hostile;
    const phone = await openReport(browser, url, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
    await phone.page.click('#expand');
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const dark = await phone.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await phone.context.close();
    const desk = await openReport(browser, url, { colorScheme: 'light' });
    const light = await desk.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await desk.context.close();
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe(light);
  });
});

describe('a 5,000-finding HTML report in chromium', () => {
  it('opens and filters smoothly', async () => {
    const { url, path, json } = reports.large;
    const size = statSync(path).size;
    const { page, context, consoleErrors, requests } = await openReport(browser, url);
    await page.waitForSelector('html[data-ready="true"]');
    const render = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { firstContentfulPaint: paint?.startTime ?? Number.NaN, domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN, load: navigation?.loadEventEnd ?? Number.NaN };
    });
    const measure = (selector: string, value: string): Promise<{ script: number; painted: number; matched: string | null }> =>
      page.evaluate(async ([sel, val]) => {
        const control = document.querySelector<HTMLInputElement | HTMLSelectElement>(sel);
        if (!control) throw new Error(`no ${sel}`);
        const start = performance.now();
        control.value = val;
        control.dispatchEvent(new Event('input', { bubbles: true }));
        const script = performance.now() - start;
        // The next frame has been styled, laid out and painted once this timer fires.
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        return { script, painted: performance.now() - start, matched: document.getElementById('shown')?.getAttribute('data-matched') ?? null };
      }, [selector, value] as const);
    const severity = await measure('select[name=severity]', 'critical');
    expect(severity.matched).toBe(String(json.summary.critical));
    const search = await measure('input[name=q]', 'team-3 refused');
    const reset = await measure('input[name=q]', '');
    const cleared = await measure('select[name=severity]', '*');
    expect(cleared.matched).toBe(String(json.findings.length));
    console.log([
      `5,000-finding report: ${(size / 1024 / 1024).toFixed(1)} MB`,
      `first contentful paint ${render.firstContentfulPaint.toFixed(0)} ms, DOMContentLoaded ${render.domContentLoaded.toFixed(0)} ms, load ${render.load.toFixed(0)} ms`,
      `severity filter: ${severity.script.toFixed(1)} ms script, ${severity.painted.toFixed(1)} ms to next paint (${severity.matched ?? '?'} shown)`,
      `search: ${search.script.toFixed(1)} ms script, ${search.painted.toFixed(1)} ms to next paint (${search.matched ?? '?'} shown); cleared ${reset.painted.toFixed(1)} ms`,
    ].join('\n'));
    // Generous bounds: a slow CI machine passes; a quadratic filter or a frozen page does not.
    expect(render.load).toBeLessThan(60_000);
    expect(severity.painted).toBeLessThan(5_000);
    expect(search.painted).toBeLessThan(5_000);
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 300_000);
});

describe('reports are plain files', () => {
  it('the demo report names the demo source', () => {
    expect(readFileSync(reports.demo.path, 'utf8')).toContain('bundled shop cluster');
  });
});
