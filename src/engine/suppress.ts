import type { KubetriageConfig } from '../config/config.js';
import type { ClusterModel } from '../model/cluster-model.js';
import type { KubeObject, Workload } from '../model/k8s.js';
import type { Finding } from './types.js';

/** The annotation that silences rules on one object: `rule-id[,rule-id]`, each with an optional `: reason`. */
export const ignoreAnnotation = 'kubetriage.io/ignore';

export interface IgnoreEntry {
  readonly rule: string;
  readonly reason?: string;
}

/** Parses `mutable-image-tag, plaintext-secret: sealed in CI` into rule ids and reasons. */
export function parseIgnoreAnnotation(value: string): IgnoreEntry[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      if (colon < 0) return { rule: part };
      const reason = part.slice(colon + 1).trim();
      return { rule: part.slice(0, colon).trim(), ...(reason ? { reason } : {}) };
    });
}

export interface SuppressionOutcome {
  readonly findings: Finding[];
  readonly suppressed: number;
  readonly notes: string[];
}

/**
 * Applies what people decided: the ignore annotation on the object (or its pod template),
 * ignored namespaces and objects, and severity overrides from the config. Links to removed
 * findings are dropped so no chain points at nothing.
 */
export function applySuppressions(findings: readonly Finding[], model: ClusterModel, config: KubetriageConfig): SuppressionOutcome {
  const kept: Finding[] = [];
  const notes: string[] = [];
  const unknownInAnnotations = new Set<string>();
  for (const finding of findings) {
    const object = model.get(finding.object.kind, finding.object.namespace, finding.object.name);
    const annotated = object ? ignoredByAnnotation(object) : [];
    if (annotated.some((entry) => entry.rule === finding.rule || entry.rule === '*')) continue;
    if (finding.object.namespace !== undefined && config.ignoreNamespaces.includes(finding.object.namespace)) continue;
    if (config.ignoreObjects.some((ignored) => matchesIgnored(ignored, finding))) continue;
    const severity = config.severity[finding.rule];
    kept.push(severity === undefined || severity === finding.severity ? finding : { ...finding, severity });
  }
  const objects = model.objects;
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    if (!object) continue;
    for (const entry of ignoredByAnnotation(object)) if (!entry.rule.includes('*') && !/^[a-z0-9-]+$/.test(entry.rule)) unknownInAnnotations.add(entry.rule);
  }
  if (unknownInAnnotations.size) notes.push(`${ignoreAnnotation} names ids that are not rule ids: ${[...unknownInAnnotations].sort().join(', ')}`);
  const ids = new Set(kept.map((f) => f.id));
  for (const finding of kept) finding.causedBy = finding.causedBy.filter((id) => ids.has(id));
  return { findings: kept, suppressed: findings.length - kept.length, notes };
}

function ignoredByAnnotation(object: KubeObject): IgnoreEntry[] {
  const own = object.metadata?.annotations?.[ignoreAnnotation];
  const template = (object as Workload).spec?.template?.metadata?.annotations?.[ignoreAnnotation];
  if (own === undefined && template === undefined) return [];
  return [own, template].flatMap((value) => (typeof value === 'string' ? parseIgnoreAnnotation(value) : []));
}

function matchesIgnored(ignored: KubetriageConfig['ignoreObjects'][number], finding: Finding): boolean {
  if (ignored.kind !== undefined && ignored.kind.toLowerCase() !== finding.object.kind.toLowerCase()) return false;
  if (ignored.namespace !== undefined && ignored.namespace !== (finding.object.namespace ?? '')) return false;
  if (!glob(ignored.name).test(finding.object.name)) return false;
  return ignored.rules === undefined || ignored.rules.includes(finding.rule);
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
