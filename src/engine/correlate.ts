import type { ClusterModel } from '../model/cluster-model.js';
import type { KubeObject } from '../model/k8s.js';
import { keyOf, objectKey } from '../model/object-ref.js';
import type { Finding } from './types.js';

/**
 * Fills `causedBy`: a finding is caused by the findings on the objects its rule named as
 * causes. When such an object has no finding of its own, its owners' findings stand in
 * (a Pod's problem may be reported on its Deployment). Edges that would close a cycle
 * are dropped, so chains always have a root.
 */
export function correlate(findings: readonly Finding[], causes: ReadonlyMap<Finding, readonly KubeObject[]>, model: ClusterModel): void {
  const byObject = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = keyOf(finding.object);
    const list = byObject.get(key);
    if (list) list.push(finding);
    else byObject.set(key, [finding]);
  }
  const findingsOn = (object: KubeObject): readonly Finding[] => {
    let current: KubeObject | undefined = object;
    for (let depth = 0; current && depth < 4; depth++) {
      const found = byObject.get(objectKey(current));
      if (found?.length) return found;
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
  for (const [effect, objects] of ordered) {
    for (const object of objects) {
      for (const cause of findingsOn(object)) {
        if (cause.id === effect.id || effect.causedBy.includes(cause.id)) continue;
        if (reaches(cause, effect)) continue;
        effect.causedBy.push(cause.id);
      }
    }
    effect.causedBy.sort();
  }
}
