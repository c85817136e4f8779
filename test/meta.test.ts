import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { placeholdersIn } from '../src/engine/template.js';
import { knowledge } from '../src/rules/knowledge/index.js';
import { rules } from '../src/rules/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const rulesDir = join(root, 'src', 'rules');
const notRules = new Set(['support', 'knowledge']);
const ruleFolders = readdirSync(rulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !notRules.has(d.name))
  .map((d) => d.name)
  .sort();

/** Rule ids of the public catalogue, read from RULES.md when the shared folder is beside the repo. */
function catalogueIds(): string[] | undefined {
  const path = join(root, '..', 'shared', 'RULES.md');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const fromTables = [...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1] ?? '');
  const fromKnowledge = [...text.matchAll(/\(`([a-z][a-z0-9-]+)`\)/g)].map((m) => m[1] ?? '');
  return [...new Set([...fromTables, ...fromKnowledge])].sort();
}

describe('the rule catalogue', () => {
  it('registry = folders: every rule folder is registered and every registered rule has a folder', () => {
    expect(rules.map((r) => r.id).sort()).toEqual(ruleFolders);
  });

  it('ids are unique across rules and knowledge entries', () => {
    const ids = [...rules, ...knowledge].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  const catalogue = catalogueIds();
  it.skipIf(catalogue === undefined)('implements or explains every id of RULES.md', () => {
    const served = new Set([...rules, ...knowledge].map((e) => e.id));
    expect((catalogue ?? []).filter((id) => !served.has(id))).toEqual([]);
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      it('has a complete runbook', () => {
        const { runbook } = rule;
        for (const text of [runbook.symptoms, runbook.rootCause, runbook.prevention, rule.meta.title, rule.meta.description]) expect(text.trim().length).toBeGreaterThan(10);
        expect(runbook.diagnosis.length).toBeGreaterThan(0);
        expect(runbook.fix.length + Object.keys(runbook.causes ?? {}).length).toBeGreaterThan(0);
        for (const cause of Object.values(runbook.causes ?? {})) expect(cause.rootCause.trim().length).toBeGreaterThan(10);
      });

      it('has a table test with at least one quiet healthy case and one firing case', () => {
        const testFile = join(rulesDir, rule.id, 'rule.test.ts');
        expect(existsSync(testFile), `${testFile} exists`).toBe(true);
        const text = readFileSync(testFile, 'utf8');
        const valid = /valid:\s*\[[\s\S]*?fixture:/.exec(text);
        const invalid = /invalid:\s*\[[\s\S]*?fixture:[\s\S]*?findings:\s*\[\s*\{/.exec(text);
        expect(valid, 'a valid (quiet) case with a fixture').not.toBeNull();
        expect(invalid, 'an invalid (firing) case with a fixture and an expected finding').not.toBeNull();
        const fixtures = readdirSync(join(rulesDir, rule.id, 'fixtures'));
        expect(fixtures.length).toBeGreaterThanOrEqual(2);
      });

      it('uses only placeholders that its message data or the engine provide', () => {
        // Placeholders are filled per finding; the rule tests assert none is left unfilled.
        // Here: no placeholder is misspelled with spaces or braces the engine cannot fill.
        const texts = [...Object.values(rule.messages), rule.runbook.symptoms, rule.runbook.rootCause];
        for (const text of texts) expect(text.replace(/\{\{[A-Za-z0-9_]+\}\}/g, '')).not.toMatch(/\{\{|\}\}/);
        expect(texts.flatMap(placeholdersIn).every((p) => /^[A-Za-z0-9_]+$/.test(p))).toBe(true);
      });
    });
  }
});
