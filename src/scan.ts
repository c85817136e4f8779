import { ClusterModel } from './model/cluster-model.js';
import type { ModelSource } from './model/cluster-model.js';
import { emptyConfig } from './config/config.js';
import type { KubetriageConfig } from './config/config.js';
import { runRules } from './engine/run.js';
import { applySuppressions, ignoreAnnotation } from './engine/suppress.js';
import { severities } from './engine/types.js';
import type { Finding, Rule, ScanResult, Severity, SourceInfo } from './engine/types.js';
import { rules as allRules } from './rules/index.js';
import type { SourceResult } from './sources/source-result.js';
import { version } from './version.js';

export interface AnalyzeOptions {
  readonly source: SourceInfo;
  readonly modelSource: ModelSource;
  readonly now: Date;
  readonly rules?: readonly Rule[];
  readonly options?: Readonly<Record<string, unknown>>;
  /** Only findings on objects of these namespaces (cluster-scoped objects are kept). */
  readonly namespace?: string;
  /** `.kubetriage.yaml`: disabled rules, severity overrides, ignored namespaces/objects, rule options. */
  readonly config?: KubetriageConfig;
  /** Only findings at or above this severity, and the findings that cause them (a chain keeps its root). */
  readonly minSeverity?: Severity;
}

/** The pure half of every scan: a source's result in, a ScanResult out. */
export function analyze(input: SourceResult, options: AnalyzeOptions): ScanResult {
  const model = new ClusterModel({
    source: options.modelSource,
    objects: input.objects,
    logs: input.logs,
    ...(input.locate ? { locate: input.locate } : {}),
  });
  const config = options.config ?? emptyConfig;
  const rules = (options.rules ?? allRules).filter((rule) => !config.disabledRules.includes(rule.id));
  const outcome = runRules(model, rules, { now: options.now, options: { ...config.ruleOptions, ...options.options } });
  const suppression = applySuppressions(outcome.findings, model, config);
  const inNamespace = options.namespace === undefined
    ? suppression.findings
    : suppression.findings.filter((f) => f.object.namespace === undefined || f.object.namespace === options.namespace);
  const shown = options.minSeverity === undefined ? { findings: inNamespace, hidden: 0 } : atLeast(inNamespace, options.minSeverity);
  const findings = shown.findings;
  return {
    schemaVersion: 1,
    tool: { name: 'kubetriage', version },
    source: options.source,
    generatedAt: options.now.toISOString(),
    summary: summarize(findings, input.objects.length),
    findings,
    notes: [
      ...input.notes,
      ...outcome.notes,
      ...suppression.notes,
      ...(suppression.suppressed ? [`${suppression.suppressed} finding(s) suppressed by ${ignoreAnnotation} annotations${config.file ? ` or ${config.file}` : ''}`] : []),
      ...(shown.hidden ? [`${shown.hidden} finding(s) below ${options.minSeverity ?? ''} not shown (--min-severity)`] : []),
    ],
  };
}

/**
 * Findings at or above a severity, plus every finding that causes one of them (directly or
 * further up its chain), so a chain is never cut from its root. Links to findings left
 * out are dropped.
 */
export function atLeast(findings: readonly Finding[], minimum: Severity): { findings: Finding[]; hidden: number } {
  const rank = severities.indexOf(minimum);
  const byId = new Map(findings.map((f) => [f.id, f]));
  const kept = new Set<string>();
  const keep = (finding: Finding): void => {
    if (kept.has(finding.id)) return;
    kept.add(finding.id);
    for (const cause of finding.causedBy) {
      const found = byId.get(cause);
      if (found) keep(found);
    }
  };
  for (const finding of findings) if (severities.indexOf(finding.severity) <= rank) keep(finding);
  const result = findings.filter((f) => kept.has(f.id)).map((f) => (f.causedBy.every((id) => kept.has(id)) ? f : { ...f, causedBy: f.causedBy.filter((id) => kept.has(id)) }));
  return { findings: result, hidden: findings.length - result.length };
}

export function summarize(findings: readonly Finding[], objects: number): ScanResult['summary'] {
  const count = (severity: Finding['severity']): number => findings.filter((f) => f.severity === severity).length;
  return { critical: count('critical'), warning: count('warning'), info: count('info'), objects };
}
