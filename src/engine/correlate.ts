import type { ClusterModel } from '../model/cluster-model.js';
import type { KubeObject } from '../model/k8s.js';
import { keyOf, objectKey } from '../model/object-ref.js';
import { severities } from './types.js';
import type { Cause, CauseRef, Finding } from './types.js';

export function isCauseRef(cause: Cause): cause is CauseRef {
  const fields = cause as { kind?: unknown; object?: unknown; rules?: unknown };
  return fields.kind === undefined && Array.isArray(fields.rules) && typeof fields.object === 'object' && fields.object !== null;
}

/** The object a cause names. */
export function causeObject(cause: Cause): KubeObject {
  return isCauseRef(cause) ? cause.object : cause;
}

/**
 * The findings on an object that can explain another finding. Info findings never do (they
 * are notes, not failures), nor does the effect itself. Named rules select their findings; otherwise only the most
 * severe findings on the object count, so a workload's hygiene warnings (mutable tag,
 * stale image, missing limits) do not become causes beside the failure that explains.
 */
function explaining(effect: Finding, found: readonly Finding[], rules: readonly string[] | undefined): Finding[] {
  const candidates = found.filter((f) => f.id !== effect.id && f.severity !== 'info' && (rules === undefined || rules.includes(f.rule)));
  if (rules !== undefined || candidates.length === 0) return candidates;
  const top = Math.min(...candidates.map((f) => severities.indexOf(f.severity)));
  return candidates.filter((f) => severities.indexOf(f.severity) === top);
}

/**
 * Fills `causedBy`: a finding is caused by the findings on the objects its rule named as
 * causes (see `explaining` for which). When such an object has none of its own, its
 * owners' findings stand in (a Pod's problem may be reported on its Deployment). Edges
 * that would close a cycle are dropped, so chains always have a root.
 */
export function correlate(findings: readonly Finding[], causes: ReadonlyMap<Finding, readonly Cause[]>, model: ClusterModel): void {
  const byObject = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = keyOf(finding.object);
    const list = byObject.get(key);
    if (list) list.push(finding);
    else byObject.set(key, [finding]);
  }
  const findingsOn = (effect: Finding, object: KubeObject, rules: readonly string[] | undefined): readonly Finding[] => {
    let current: KubeObject | undefined = object;
    for (let depth = 0; current && depth < 4; depth++) {
      const found = explaining(effect, byObject.get(objectKey(current)) ?? [], rules);
      if (found.length) return found;
      current = model.ownerOf(current);
    }
    return [];
  };
  const byId = new Map(findings.map((f) => [f.id, f]));
  const reaches = (from: Finding, target: Finding): boolean => {
    const stack = [from];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const current = stack.pop();
      if (!current || seen.has(current.id)) continue;
      if (current.id === target.id) return true;
      seen.add(current.id);
      for (const id of current.causedBy) {
        const next = byId.get(id);
        if (next) stack.push(next);
      }
    }
    return false;
  };
  const ordered = [...causes.entries()].sort(([a], [b]) => a.id.localeCompare(b.id));
  for (const [effect, named] of ordered) {
    for (const entry of named) {
      const found = isCauseRef(entry) ? findingsOn(effect, entry.object, entry.rules) : findingsOn(effect, entry, undefined);
      for (const cause of found) {
        if (cause.id === effect.id || effect.causedBy.includes(cause.id)) continue;
        if (reaches(cause, effect)) continue;
        effect.causedBy.push(cause.id);
      }
    }
    effect.causedBy.sort();
  }
}
