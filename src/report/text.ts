import type { ChainNode } from '../engine/chains.js';
import { buildChains, chainSize } from '../engine/chains.js';
import type { Finding, ScanResult, Severity } from '../engine/types.js';
import { displayName } from '../model/object-ref.js';

export interface TextStyle {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly blue: (s: string) => string;
  readonly green: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const identity = (s: string): string => s;
export const plainStyle: TextStyle = { bold: identity, dim: identity, red: identity, yellow: identity, blue: identity, green: identity, cyan: identity };

export interface TextOptions {
  readonly style?: TextStyle;
  /** Evidence lines shown per finding (the rest are counted). */
  readonly maxEvidence?: number;
}

/**
 * The report for a person under pressure: a one-line verdict, then each root cause with
 * the findings it explains indented beneath it, each with its evidence and the commands
 * that fix it.
 */
export function renderText(result: ScanResult, options: TextOptions = {}): string {
  const style = options.style ?? plainStyle;
  const maxEvidence = options.maxEvidence ?? 4;
  const lines: string[] = [];
  const { critical, warning, info, objects } = result.summary;
  lines.push(style.bold(`kubetriage ${result.tool.version} — ${result.source.type} ${result.source.name}`));
  lines.push(`${objects} objects scanned: ${style.red(`${critical} critical`)}, ${style.yellow(`${warning} warning`)}, ${style.blue(`${info} info`)}`);
  lines.push('');
  if (result.findings.length === 0) {
    lines.push(style.green('No problems found.'));
  }
  const chains = buildChains(result.findings);
  chains.forEach((chain, index) => {
    const size = chainSize(chain);
    const header = size > 1 ? `Root cause ${index + 1} of ${chains.length} — explains ${size - 1} more finding${size > 2 ? 's' : ''}` : `Finding ${index + 1} of ${chains.length}`;
    lines.push(style.dim(`── ${header} ${'─'.repeat(Math.max(0, 60 - header.length))}`));
    renderNode(chain, 0, lines, style, maxEvidence);
    lines.push('');
  });
  for (const note of result.notes) lines.push(style.yellow(`note: ${note}`));
  if (result.notes.length) lines.push('');
  if (result.findings.length) lines.push(style.dim('Commands marked [changes cluster] modify the cluster; kubetriage never runs them. `kubetriage explain RULE` prints a full runbook.'));
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderNode(node: ChainNode, depth: number, lines: string[], style: TextStyle, maxEvidence: number): void {
  const finding = node.finding;
  const indent = '  '.repeat(depth);
  const arrow = depth === 0 ? '' : '↳ ';
  lines.push(`${indent}${arrow}${severityLabel(finding.severity, style)} ${style.bold(displayName(finding.object))} ${style.dim(`[${finding.rule}]`)}`);
  const body = `${indent}${depth === 0 ? '' : '  '}  `;
  lines.push(`${body}${finding.message}`);
  if (finding.location) lines.push(`${body}${style.dim(`at ${finding.location.file}:${finding.location.line}${finding.location.column === undefined ? '' : `:${finding.location.column}`}`)}`);
  if (depth === 0 || node.effects.length === 0) {
    lines.push(`${body}${style.bold('why:')} ${finding.rootCause}`);
  }
  const evidence = finding.evidence.slice(0, maxEvidence);
  for (const line of evidence) lines.push(`${body}${style.dim('•')} ${line}`);
  if (finding.evidence.length > evidence.length) lines.push(`${body}${style.dim(`• … ${finding.evidence.length - evidence.length} more (--format json shows all)`)}`);
  if (depth === 0 || node.effects.length === 0) renderFix(finding, body, lines, style);
  for (const effect of node.effects) renderNode(effect, depth + 1, lines, style, maxEvidence);
}

function renderFix(finding: Finding, body: string, lines: string[], style: TextStyle): void {
  if (finding.fix.length === 0) return;
  lines.push(`${body}${style.bold('fix:')}`);
  for (const step of finding.fix) {
    lines.push(`${body}  ${step.description}${step.mutates ? style.yellow(' [changes cluster]') : ''}`);
    if (step.command) lines.push(`${body}    ${style.cyan(`$ ${step.command}`)}`);
  }
}

function severityLabel(severity: Severity, style: TextStyle): string {
  switch (severity) {
    case 'critical':
      return style.red(style.bold('CRITICAL'));
    case 'warning':
      return style.yellow(style.bold('WARNING '));
    case 'info':
      return style.blue(style.bold('INFO    '));
  }
}
