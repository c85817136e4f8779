import type { ChainNode } from '../engine/chains.js';
import { buildChains, chainSize } from '../engine/chains.js';
import type { Finding, ScanResult } from '../engine/types.js';
import { severities } from '../engine/types.js';
import { displayName } from '../model/object-ref.js';

/**
 * Text from the cluster as Markdown that renders as itself: no emphasis, link, HTML tag or
 * table cell break can come from a value. Newlines become spaces (a value never spans lines
 * of the report).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

/** Like escapeMarkdown, for a value that starts a line or a list item's text, where block markers count. */
export function escapeMarkdownBlock(text: string): string {
  return escapeMarkdown(text)
    .replace(/^(\s*)([-=+#])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Inline code that survives backticks inside the value. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.trim() === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run in the content. */
export function fencedBlock(text: string, language: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

const severityLabel = { critical: 'Critical', warning: 'Warning', info: 'Info' } as const;

function findingLine(finding: Finding): string {
  const location = finding.location ? ` at ${inlineCode(`${finding.location.file}:${finding.location.line}`)}` : '';
  return `**${finding.severity.toUpperCase()}** ${inlineCode(displayName(finding.object))} — ${escapeMarkdown(finding.message)} (${inlineCode(finding.rule)})${location}`;
}

/**
 * The report for a ticket or a pull-request comment (GitHub-flavoured Markdown): a summary
 * table, then each root-cause chain as a nested list followed by the evidence and the
 * commands of each of its findings in fenced blocks.
 */
export function renderMarkdown(result: ScanResult): string {
  const out: string[] = [];
  const { summary } = result;
  out.push(`# kubetriage report: ${escapeMarkdown(result.source.name)}`, '');
  out.push(`Source: ${escapeMarkdown(result.source.type)} ${inlineCode(result.source.name)} · generated ${escapeMarkdown(result.generatedAt)} by kubetriage ${escapeMarkdown(result.tool.version)} · ${summary.objects} objects scanned`, '');
  out.push('| Severity | Findings |', '| --- | ---: |');
  for (const severity of severities) out.push(`| ${severityLabel[severity]} | ${summary[severity]} |`);
  out.push(`| **Total** | **${result.findings.length}** |`, '');
  if (result.findings.length === 0) out.push('No problems found.', '');
  const chains = buildChains(result.findings);
  chains.forEach((chain, index) => {
    const size = chainSize(chain);
    const heading = size > 1
      ? `Root cause ${index + 1} of ${chains.length}: explains ${size - 1} more finding${size > 2 ? 's' : ''}`
      : `Finding ${index + 1} of ${chains.length}`;
    out.push(`## ${heading}`, '');
    treeLines(chain, 0, out);
    out.push('');
    for (const finding of flatten(chain)) details(finding, out);
  });
  if (result.notes.length > 0) {
    out.push('## Notes', '');
    for (const note of result.notes) out.push(`- ${escapeMarkdownBlock(note)}`);
    out.push('');
  }
  if (result.findings.length > 0) {
    out.push('---', '', '_Steps marked “changes cluster” modify the cluster; kubetriage never runs them. `kubetriage explain RULE` prints a rule’s full runbook._');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function treeLines(node: ChainNode, depth: number, out: string[]): void {
  out.push(`${'  '.repeat(depth)}- ${depth === 0 ? '' : '↳ '}${findingLine(node.finding)}`);
  for (const effect of node.effects) treeLines(effect, depth + 1, out);
}

function flatten(node: ChainNode): Finding[] {
  return [node.finding, ...node.effects.flatMap(flatten)];
}

function details(finding: Finding, out: string[]): void {
  out.push(`### ${escapeMarkdown(finding.title)}: ${inlineCode(displayName(finding.object))}`, '');
  out.push(`**Why:** ${escapeMarkdown(finding.rootCause)}`, '');
  if (finding.evidence.length > 0) {
    out.push('**Evidence:**', '');
    for (const line of finding.evidence) out.push(`- ${escapeMarkdownBlock(line)}`);
    out.push('');
  }
  if (finding.fix.length > 0) {
    out.push('**Fix:**', '');
    finding.fix.forEach((step, index) => {
      const marker = `${index + 1}. `;
      out.push(`${marker}${escapeMarkdownBlock(step.description)}${step.mutates ? ' _(changes cluster)_' : ''}`);
      if (step.command !== undefined) {
        // Indented to the item's content column, the block stays inside the list item.
        const indent = ' '.repeat(marker.length);
        out.push('', ...fencedBlock(step.command, 'sh').split('\n').map((line) => `${indent}${line}`));
        if (index < finding.fix.length - 1) out.push('');
      }
    });
    out.push('');
  }
}
