import type { KnowledgeEntry, Rule } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { renderRunbookText, runbookJson } from '../report/runbook.js';
import { knowledge } from '../rules/knowledge/index.js';
import { rules } from '../rules/index.js';

function allEntries(): (Rule | KnowledgeEntry)[] {
  return [...rules, ...knowledge];
}

export function rulesCommand(format: string): string {
  if (format === 'json') {
    return `${JSON.stringify(allEntries().map((e) => ({
      id: e.id, title: e.meta.title, severity: e.meta.severity, category: e.meta.category,
      sources: 'sources' in e.meta ? e.meta.sources : [],
    })), null, 2)}\n`;
  }
  const rows = allEntries().map((e) => [e.id, e.meta.severity, e.meta.category, 'sources' in e.meta ? e.meta.sources.join('+') : 'explain', e.meta.title]);
  const header = ['RULE', 'SEVERITY', 'CATEGORY', 'RUNS ON', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function explainCommand(id: string, format: string): string {
  const entry = allEntries().find((e) => e.id === id);
  if (!entry) {
    const near = allEntries().map((e) => e.id).filter((candidate) => editDistance(normalize(candidate), normalize(id)) <= 2 || candidate.includes(id));
    throw new UsageError(`unknown rule "${id}"${near.length ? ` — did you mean ${near.slice(0, 3).join(', ')}?` : ''} (kubetriage rules lists them all)`);
  }
  return format === 'json' ? `${JSON.stringify(runbookJson(entry), null, 2)}\n` : renderRunbookText(entry);
}

const normalize = (id: string): string => id.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Levenshtein distance, for "did you mean" on mistyped rule ids. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
