import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterModel } from '../../src/model/cluster-model.js';
import type { ModelSource } from '../../src/model/cluster-model.js';
import { runRules } from '../../src/engine/run.js';
import { hasUnfilledPlaceholder } from '../../src/engine/template.js';
import type { Finding, Rule } from '../../src/engine/types.js';
import { readFixture } from '../../src/sources/fixture.js';
import { Redactor } from '../../src/sources/redact.js';
import type { KubeObject } from '../../src/model/k8s.js';

/** The fixed time rule tests run at; fixtures' timestamps are written relative to it. */
export const testNow = new Date('2026-11-20T12:00:00Z');

export interface ExpectedFinding {
  /** `Kind/namespace/name` or `Kind//name` for cluster-scoped objects. */
  readonly object: string;
  readonly cause?: string;
  readonly severity?: Finding['severity'];
  /** Substrings the message must contain. */
  readonly message?: readonly string[];
  /** Substrings that must appear among the evidence lines. */
  readonly evidence?: readonly string[];
  /** Substrings that must appear among the fix commands. */
  readonly commands?: readonly string[];
  readonly rootCause?: readonly string[];
  /** `Kind/namespace/name` of findings (of any rule run) this one must be caused by. */
  readonly causedBy?: readonly string[];
}

export interface RuleCase {
  readonly name: string;
  /** A fixture file name in the rule's fixtures/ folder (kubectl get -o json output). */
  readonly fixture: string;
  readonly source?: ModelSource;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Other rules to run alongside, for causedBy expectations. */
  readonly withRules?: readonly Rule[];
}

export interface InvalidCase extends RuleCase {
  /** Exactly these findings of the rule under test, in any order. */
  readonly findings: readonly ExpectedFinding[];
}

export interface RuleTable {
  readonly valid: readonly RuleCase[];
  readonly invalid: readonly InvalidCase[];
}

/**
 * Loads a fixture the way the snapshot source would: kubectl JSON, normalized and
 * redacted, plus container logs from `<fixture>.log` in `cluster-info dump` block format.
 */
export function loadFixture(dir: string, fixture: string): { objects: KubeObject[]; model: (source?: ModelSource) => ClusterModel } {
  const { objects, logs } = readFixture(join(dir, fixture), new Redactor(Buffer.alloc(32, 7)));
  return { objects, model: (source = 'cluster') => new ClusterModel({ source, objects, logs }) };
}

export function runRuleOn(rule: Rule, dir: string, testCase: RuleCase): Finding[] {
  const { model } = loadFixture(dir, testCase.fixture);
  const outcome = runRules(model(testCase.source ?? 'cluster'), [rule, ...(testCase.withRules ?? [])], { now: testNow, options: testCase.options ?? {} });
  expect(outcome.notes, 'no rule may crash').toEqual([]);
  return outcome.findings;
}

const refKey = (f: Finding): string => `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;

/** ESLint's RuleTester, for kubetriage rules: named valid and invalid cases with exact expectations. */
export function testRule(rule: Rule, fixturesDir: string, table: RuleTable): void {
  describe(rule.id, () => {
    describe('stays quiet on', () => {
      for (const testCase of table.valid) {
        it(testCase.name, () => {
          const findings = runRuleOn(rule, fixturesDir, testCase).filter((f) => f.rule === rule.id);
          expect(findings.map((f) => `${refKey(f)}: ${f.message}`)).toEqual([]);
        });
      }
    });
    describe('fires on', () => {
      for (const testCase of table.invalid) {
        it(testCase.name, () => {
          const all = runRuleOn(rule, fixturesDir, testCase);
          const findings = all.filter((f) => f.rule === rule.id);
          expect(findings.map(refKey).sort()).toEqual(testCase.findings.map((e) => e.object).sort());
          for (const expected of testCase.findings) {
            const candidates = findings.filter((f) => refKey(f) === expected.object && (expected.cause === undefined || f.cause === expected.cause));
            expect(candidates, `a finding on ${expected.object}${expected.cause ? ` with cause ${expected.cause}` : ''}`).toHaveLength(1);
            const finding = candidates[0] as Finding;
            if (expected.severity) expect(finding.severity).toBe(expected.severity);
            for (const text of expected.message ?? []) expect(finding.message).toContain(text);
            for (const text of expected.evidence ?? []) expect(finding.evidence.join('\n')).toContain(text);
            for (const text of expected.rootCause ?? []) expect(finding.rootCause).toContain(text);
            for (const text of expected.commands ?? []) expect(finding.fix.map((s) => s.command ?? '').join('\n')).toContain(text);
            for (const cause of expected.causedBy ?? []) {
              const causes = all.filter((f) => finding.causedBy.includes(f.id)).map(refKey);
              expect(causes).toContain(cause);
            }
            const text = [finding.message, finding.rootCause, ...finding.evidence, ...finding.fix.flatMap((s) => [s.description, s.command ?? ''])].join('\n');
            expect(hasUnfilledPlaceholder(text), `unfilled placeholder in:\n${text}`).toBe(false);
          }
        });
      }
    });
  });
}
