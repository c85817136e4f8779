import { createHash } from 'node:crypto';
import type { ChainNode } from '../../engine/chains.js';
import { buildChains, chainSize } from '../../engine/chains.js';
import type { Finding, ScanResult } from '../../engine/types.js';
import { severities } from '../../engine/types.js';
import { displayName } from '../../model/object-ref.js';
import { reportCss, reportScript } from './assets.js';
import { escapeHtml as e } from './escape.js';

/** Reports up to this many findings open their root causes; larger ones start collapsed. */
const openRootsUpTo = 50;

const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * One self-contained HTML page: no request leaves it (the Content-Security-Policy allows
 * only its own inline style and script, by hash), it reads without JavaScript (findings
 * are <details>), and every value from the cluster is escaped.
 */
export function renderHtml(result: ScanResult): string {
  const chains = buildChains(result.findings);
  const byId = new Map(result.findings.map((f) => [f.id, f]));
  const openRoots = result.findings.length <= openRootsUpTo;
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(reportCss)}`,
    `script-src ${cspHash(reportScript)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `kubetriage report — ${result.source.type} ${result.source.name}`;
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en" class="no-js">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${e(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${e(title)}</title>`,
    `<style>${reportCss}</style>`,
    '</head>',
    '<body>',
  );
  parts.push(header(result));
  if (result.findings.length > 0) parts.push(filters(result.findings));
  parts.push('<main>');
  if (result.findings.length === 0) parts.push('<p class="empty">No problems found.</p>');
  else parts.push('<p id="nothing" class="none" hidden>No findings match the filters.</p>');
  chains.forEach((chain, index) => {
    const size = chainSize(chain);
    const heading = size > 1
      ? `Root cause ${index + 1} of ${chains.length} — explains ${size - 1} more finding${size > 2 ? 's' : ''}`
      : `Finding ${index + 1} of ${chains.length}`;
    parts.push(`<section class="chain" aria-label="${e(heading)}">`, `<h2>${e(heading)}</h2>`, '<ul class="tree">');
    renderNode(chain, parts, byId, openRoots);
    parts.push('</ul>', '</section>');
  });
  parts.push('</main>');
  if (result.notes.length > 0) {
    parts.push('<section class="notes" aria-label="Notes"><h2>Notes</h2><ul>');
    for (const note of result.notes) parts.push(`<li>${e(note)}</li>`);
    parts.push('</ul></section>');
  }
  parts.push(
    '<footer>',
    '<p>Commands marked <span class="mutates">changes cluster</span> modify the cluster; kubetriage never runs them. ',
    '<code>kubetriage explain RULE</code> prints a rule’s full runbook.</p>',
    '</footer>',
    `<script>${reportScript}</script>`,
    '</body>',
    '</html>',
  );
  return `${parts.join('\n')}\n`;
}

function header(result: ScanResult): string {
  const { summary } = result;
  const counts = severities
    .map((severity) => `<li class="count ${severity}" data-count="${severity}"><span class="n">${summary[severity]}</span> ${severity}</li>`)
    .join('');
  return [
    '<header>',
    '<h1>kubetriage report</h1>',
    `<p class="source">${e(result.source.type)}: <strong>${e(result.source.name)}</strong></p>`,
    `<p class="meta">Generated <time datetime="${e(result.generatedAt)}">${e(result.generatedAt)}</time> by kubetriage ${e(result.tool.version)} · <span data-count="objects">${summary.objects}</span> objects scanned · <span data-count="findings">${result.findings.length}</span> finding${result.findings.length === 1 ? '' : 's'}</p>`,
    `<ul class="counts" aria-label="Findings by severity">${counts}</ul>`,
    '</header>',
  ].join('\n');
}

const clusterScoped = '';

function filters(findings: readonly Finding[]): string {
  const distinct = (values: readonly string[]): string[] => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  const options = (values: readonly string[], label: (value: string) => string = (v) => v): string =>
    ['<option value="*">all</option>', ...values.map((v) => `<option value="${e(v)}">${e(label(v))}</option>`)].join('');
  const present = new Set(findings.map((f) => f.severity));
  const namespaces = distinct(findings.map((f) => f.object.namespace ?? clusterScoped));
  const rules = distinct(findings.map((f) => f.rule));
  return [
    '<form id="filters" class="filters" role="search" aria-label="Filter findings">',
    `<label>Severity<select name="severity">${options(severities.filter((s) => present.has(s)))}</select></label>`,
    `<label>Namespace<select name="namespace">${options(namespaces, (v) => (v === clusterScoped ? '(cluster-scoped)' : v))}</select></label>`,
    `<label>Rule<select name="rule">${options(rules)}</select></label>`,
    '<label class="search">Search<input type="search" name="q" placeholder="object, message, evidence, command…" autocomplete="off"></label>',
    '<button type="reset">Reset</button>',
    '<button type="button" id="expand" aria-pressed="false">Expand all</button>',
    '<output id="shown" aria-live="polite"></output>',
    '</form>',
  ].join('\n');
}

function renderNode(node: ChainNode, parts: string[], byId: ReadonlyMap<string, Finding>, openRoots: boolean, depth = 0): void {
  const f = node.finding;
  parts.push(
    `<li class="node" data-id="${e(f.id)}" data-severity="${e(f.severity)}" data-namespace="${e(f.object.namespace ?? clusterScoped)}" data-rule="${e(f.rule)}">`,
    `<details class="finding" id="f-${e(f.id)}"${openRoots && depth === 0 ? ' open' : ''}>`,
    `<summary><span class="sev ${e(f.severity)}">${e(f.severity)}</span> <span class="obj">${e(displayName(f.object))}</span> <span class="rule">${e(f.rule)}</span><span class="msg">${e(f.message)}</span></summary>`,
    '<div class="body">',
    `<p><strong>${e(f.title)}</strong></p>`,
  );
  if (f.location) {
    const where = `${f.location.file}:${f.location.line}${f.location.column === undefined ? '' : `:${f.location.column}`}`;
    parts.push(`<p class="loc">at <code>${e(where)}</code></p>`);
  }
  const causes = f.causedBy.map((id) => byId.get(id)).filter((c) => c !== undefined);
  if (causes.length > 0) {
    parts.push(`<p class="caused-by">Caused by ${causes.map((c) => `<a href="#f-${e(c.id)}">${e(displayName(c.object))}</a> (${e(c.rule)})`).join(', ')}</p>`);
  }
  if (f.evidence.length > 0) {
    parts.push('<h3>Evidence</h3>', '<ul class="evidence">', ...f.evidence.map((line) => `<li>${e(line)}</li>`), '</ul>');
  }
  parts.push('<h3>Root cause</h3>', `<p class="root-cause">${e(f.rootCause)}</p>`);
  if (f.fix.length > 0) {
    parts.push('<h3>Fix</h3>', '<ol class="fix">');
    for (const step of f.fix) {
      parts.push(`<li><p>${e(step.description)}${step.mutates ? ' <span class="mutates">changes cluster</span>' : ''}</p>`);
      if (step.command !== undefined) {
        parts.push(`<div class="cmd"><pre><code>${e(step.command)}</code></pre><button type="button" class="copy" aria-label="Copy command">Copy</button></div>`);
      }
      parts.push('</li>');
    }
    parts.push('</ol>');
  }
  parts.push(`<p class="explain">Runbook: <code>kubetriage explain ${e(f.rule)}</code></p>`, '</div>', '</details>');
  if (node.effects.length > 0) {
    parts.push('<ul class="tree">');
    for (const effect of node.effects) renderNode(effect, parts, byId, openRoots, depth + 1);
    parts.push('</ul>');
  }
  parts.push('</li>');
}
