import { genericTemplate } from '../engine/template.js';
import type { CauseRunbook, FixTemplate, KnowledgeEntry, Rule } from '../engine/types.js';

type Entry = Rule | KnowledgeEntry;

/** A runbook for a person, placeholders shown as <name>: what `explain` prints. */
export function renderRunbookText(entry: Entry): string {
  const g = genericTemplate;
  const { runbook, meta } = entry;
  const lines: string[] = [];
  lines.push(`${entry.id} — ${meta.title}`);
  lines.push(`severity: ${meta.severity}   category: ${meta.category}   runs on: ${'sources' in meta ? meta.sources.join(', ') : 'explain only'}`);
  lines.push('', meta.description, '');
  lines.push('Symptoms', `  ${g(runbook.symptoms)}`, '');
  lines.push('Root cause', `  ${g(runbook.rootCause)}`, '');
  if (runbook.diagnosis.length) {
    lines.push('Diagnosis');
    for (const step of runbook.diagnosis) lines.push(`  ${g(step.description)}`, `    $ ${g(step.command)}`);
    lines.push('');
  }
  const causes = Object.entries<CauseRunbook>(runbook.causes ?? {});
  if (causes.length) {
    lines.push('Causes it tells apart');
    for (const [id, cause] of causes) {
      lines.push(`  ${id}: ${g(cause.title)}`, `    ${g(cause.rootCause)}`);
      for (const line of fixLines(cause.fix, '    ')) lines.push(line);
    }
    lines.push('');
  }
  if (runbook.fix.length) {
    lines.push('Fix');
    for (const line of fixLines(runbook.fix, '  ')) lines.push(line);
    lines.push('');
  }
  lines.push('Prevention', `  ${g(runbook.prevention)}`);
  return `${lines.join('\n')}\n`;
}

function fixLines(fix: readonly FixTemplate[], indent: string): string[] {
  return fix.flatMap((step) => [
    `${indent}${genericTemplate(step.description)}${step.mutates ? ' [changes cluster]' : ''}`,
    ...(step.command ? [`${indent}  $ ${genericTemplate(step.command)}`] : []),
  ]);
}

/** The runbook as data, placeholders shown as <name>. */
export function runbookJson(entry: Entry): object {
  const g = genericTemplate;
  const fix = (steps: readonly FixTemplate[]): object[] =>
    steps.map((s) => ({ description: g(s.description), ...(s.command ? { command: g(s.command) } : {}), mutates: s.mutates === true }));
  return {
    id: entry.id,
    ...entry.meta,
    ...('sources' in entry.meta ? {} : { sources: [] }),
    runbook: {
      symptoms: g(entry.runbook.symptoms),
      rootCause: g(entry.runbook.rootCause),
      diagnosis: entry.runbook.diagnosis.map((d) => ({ description: g(d.description), command: g(d.command) })),
      fix: fix(entry.runbook.fix),
      prevention: g(entry.runbook.prevention),
      causes: Object.fromEntries(
        Object.entries<CauseRunbook>(entry.runbook.causes ?? {}).map(([id, c]) => [id, { title: g(c.title), rootCause: g(c.rootCause), fix: fix(c.fix) }]),
      ),
    },
  };
}
