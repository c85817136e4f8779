import { ClusterModel } from './model/cluster-model.js';
import type { ModelSource } from './model/cluster-model.js';
import { emptyConfig } from './config/config.js';
import type { KubetriageConfig } from './config/config.js';
import { runRules } from './engine/run.js';
import { applySuppressions, ignoreAnnotation } from './engine/suppress.js';
import type { Finding, Rule, ScanResult, SourceInfo } from './engine/types.js';
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
  const findings = options.namespace === undefined
    ? suppression.findings
    : suppression.findings.filter((f) => f.object.namespace === undefined || f.object.namespace === options.namespace);
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
    ],
  };
}

export function summarize(findings: readonly Finding[], objects: number): ScanResult['summary'] {
  const count = (severity: Finding['severity']): number => findings.filter((f) => f.severity === severity).length;
  return { critical: count('critical'), warning: count('warning'), info: count('info'), objects };
}
