import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html/escape.js';
import { renderHtml } from '../../src/report/html/render.js';
import { demoResult, hostile, runCli, syntheticResult, withHostileValues } from './results.js';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const only = (html: string, tag: string): string[] => [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');

describe('the HTML report', () => {
  it('is what `scan --demo --format html --output FILE` writes, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetriage-html-'));
    try {
      const file = join(dir, 'report.html');
      expect(await runCli(['scan', '--demo', '--format', 'html', '--output', file])).toBe('');
      expect(readFileSync(file, 'utf8')).toBe(renderHtml(await demoResult()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('allows only its own inline style and script, by hash, and loads nothing', async () => {
    const html = renderHtml(await demoResult());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    const styles = only(html, 'style');
    const scripts = only(html, 'script');
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    expect(csp?.split('; ')).toEqual([
      "default-src 'none'",
      `style-src ${sha256(styles[0] ?? '')}`,
      `script-src ${sha256(scripts[0] ?? '')}`,
      "img-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(html).not.toMatch(/\s(src|srcset|action|style|on\w+)=/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).filter((href) => !href?.startsWith('#f-'))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/);
  });

  it('escapes every value: no tag, attribute or entity comes from the cluster', async () => {
    const result = withHostileValues(await demoResult());
    const html = renderHtml(result);
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html.split(escapeHtml(hostile)).length - 1).toBeGreaterThanOrEqual(1 + 4 * result.findings.length);
    const odd = syntheticResult(1);
    const finding = odd.findings[0];
    if (!finding) throw new Error('no finding');
    const quoted = { ...odd, findings: [{ ...finding, rule: 'rule"><b>x', object: { kind: 'Pod', namespace: `ns' onmouseover='x`, name: 'a&b' } }] };
    const quotedHtml = renderHtml(quoted);
    expect(quotedHtml).toContain('data-namespace="ns&#39; onmouseover=&#39;x"');
    expect(quotedHtml).toContain('data-rule="rule&quot;&gt;&lt;b&gt;x"');
    expect(quotedHtml).toContain('ns&#39; onmouseover=&#39;x/pod/a&amp;b');
    expect(quotedHtml).not.toContain('<b>x');
  });

  it('holds every finding once, in chains, with the counts of the result', () => {
    const result = syntheticResult(50);
    const html = renderHtml(result);
    const ids = [...html.matchAll(/<li class="node" data-id="([0-9a-f]+)"/g)].map((m) => m[1]);
    expect(ids.slice().sort()).toEqual(result.findings.map((f) => f.id).sort());
    expect(html.match(/<section class="chain"/g)).toHaveLength(10);
    expect(html).toContain(`<li class="count critical" data-count="critical"><span class="n">${result.summary.critical}</span> critical</li>`);
  });

  it('says so when nothing is wrong and offers no filters', () => {
    const html = renderHtml({ ...syntheticResult(0), notes: ['secrets: forbidden (RBAC)'] });
    expect(html).toContain('No problems found.');
    expect(html).not.toContain('id="filters"');
    expect(html).toContain('<li>secrets: forbidden (RBAC)</li>');
  });
});
