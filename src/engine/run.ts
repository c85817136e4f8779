import type { ClusterModel } from '../model/cluster-model.js';
import { kubectlName, objectKey, refOf } from '../model/object-ref.js';
import { correlate } from './correlate.js';
import { fingerprint } from './fingerprint.js';
import { fillTemplate } from './template.js';
import { severities } from './types.js';
import type { Cause, Detection, Finding, FixStep, Rule, RuleContext } from './types.js';

export interface RunOutcome {
  readonly findings: Finding[];
  readonly notes: string[];
}

/**
 * Runs every rule that applies to the model's source, turns detections into findings,
 * links causes and sorts. A rule that throws becomes one `internal-error` finding; the
 * others still run.
 */
export function runRules(model: ClusterModel, rules: readonly Rule[], context: RuleContext): RunOutcome {
  const findings: Finding[] = [];
  const causes = new Map<Finding, readonly Cause[]>();
  const notes: string[] = [];
  for (const rule of rules) {
    if (!rule.meta.sources.includes(model.source)) continue;
    const seen = new Set<string>();
    try {
      for (const detection of rule.detect(model, context)) {
        const finding = toFinding(rule, detection, model);
        if (seen.has(finding.id)) continue;
        seen.add(finding.id);
        findings.push(finding);
        if (detection.causedBy?.length) causes.set(finding, detection.causedBy);
      }
    } catch (error) {
      findings.push(internalError(rule, error));
      notes.push(`rule ${rule.id} failed and was skipped: ${errorMessage(error)}`);
    }
  }
  correlate(findings, causes, model);
  findings.sort(compareFindings);
  return { findings, notes };
}

function toFinding(rule: Rule, detection: Detection, model: ClusterModel): Finding {
  const object = refOf(detection.subject);
  const data = {
    kind: object.kind,
    name: object.name,
    namespace: object.namespace ?? '',
    kubectlName: kubectlName(object),
    ...detection.data,
  };
  const template = rule.messages[detection.messageId] ?? detection.messageId;
  const cause = detection.cause === undefined ? undefined : rule.runbook.causes?.[detection.cause];
  const fixTemplates = cause?.fix ?? rule.runbook.fix;
  const fix: FixStep[] = [
    ...(detection.fix ?? []),
    ...fixTemplates.map((step) => ({
      description: fillTemplate(step.description, data),
      ...(step.command === undefined ? {} : { command: fillTemplate(step.command, data) }),
      mutates: step.mutates === true,
    })),
  ];
  const location = model.locate(detection.subject, detection.path ?? []);
  return {
    id: fingerprint(rule.id, object, detection.key ?? detection.cause ?? ''),
    rule: rule.id,
    severity: detection.severity ?? rule.meta.severity,
    title: rule.meta.title,
    category: rule.meta.category,
    object,
    message: fillTemplate(template, data),
    evidence: detection.evidence ?? [],
    rootCause: fillTemplate(cause?.rootCause ?? rule.runbook.rootCause, data),
    fix,
    causedBy: [],
    ...(location ? { location } : {}),
    ...(detection.cause === undefined ? {} : { cause: detection.cause }),
  };
}

function internalError(rule: Rule, error: unknown): Finding {
  const object = { kind: 'Rule', name: rule.id };
  return {
    id: fingerprint('internal-error', object),
    rule: 'internal-error',
    severity: 'warning',
    title: 'A rule failed',
    category: rule.meta.category,
    object,
    message: `rule ${rule.id} failed on this input and was skipped: ${errorMessage(error)}`,
    evidence: [],
    rootCause: 'A bug in kubetriage or input it does not understand. The other rules ran.',
    fix: [{ description: 'Report it with the input that triggers it (secret values are already redacted in `kubetriage snapshot` bundles).', mutates: false }],
    causedBy: [],
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
    a.rule.localeCompare(b.rule) ||
    objectKey({ kind: a.object.kind, metadata: { namespace: a.object.namespace ?? '', name: a.object.name } })
      .localeCompare(objectKey({ kind: b.object.kind, metadata: { namespace: b.object.namespace ?? '', name: b.object.name } })) ||
    a.id.localeCompare(b.id)
  );
}
