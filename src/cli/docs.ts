import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runRules } from '../engine/run.js';
import type { Finding, KnowledgeEntry, Rule } from '../engine/types.js';
import { ClusterModel } from '../model/cluster-model.js';
import { renderCatalogueDoc, renderRuleDoc } from '../report/rule-doc.js';
import type { RuleExample } from '../report/rule-doc.js';
import { knowledge } from '../rules/knowledge/index.js';
import { rules } from '../rules/index.js';
import { readFixture } from '../sources/fixture.js';
import { Redactor } from '../sources/redact.js';

/** The fixed time examples are rendered at, as in the rule tests. */
const exampleNow = new Date('2026-11-20T12:00:00Z');

/**
 * The example for a rule's doc: its first fixture (by name, healthy ones skipped) on which
 * it fires. A fixed redaction key keeps the generated text stable.
 */
export function exampleFor(rule: Rule, root: string): RuleExample | undefined {
  const dir = join(root, 'src', 'rules', rule.id, 'fixtures');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('healthy')).sort();
  } catch {
    return undefined;
  }
  for (const file of files) {
    const path = join(dir, file);
    const input = readFixture(path, new Redactor(Buffer.alloc(32, 7)));
    for (const source of rule.meta.sources) {
      const model = new ClusterModel({ source, objects: input.objects, logs: input.logs });
      const finding: Finding | undefined = runRules(model, [rule], { now: exampleNow, options: {} }).findings[0];
      if (finding) return { fixture: relative(root, path), finding };
    }
  }
  return undefined;
}

/** Every generated doc by its path relative to the repository root. */
export function generateDocs(root: string): Map<string, string> {
  const docs = new Map<string, string>();
  const entries: (Rule | KnowledgeEntry)[] = [...rules, ...knowledge];
  for (const rule of rules) docs.set(join('docs', 'rules', `${rule.id}.md`), renderRuleDoc(rule, exampleFor(rule, root)));
  for (const entry of knowledge) docs.set(join('docs', 'rules', `${entry.id}.md`), renderRuleDoc(entry));
  docs.set(join('docs', 'rules', 'README.md'), renderCatalogueDoc(entries));
  return docs;
}
