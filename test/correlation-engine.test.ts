import { describe, expect, it } from 'vitest';
import { correlate } from '../src/engine/correlate.js';
import type { Cause, Finding, Severity } from '../src/engine/types.js';
import type { ClusterModel } from '../src/model/cluster-model.js';
import type { KubeObject } from '../src/model/k8s.js';

// The engine's linking rule on its own: which findings on a named object become causes.

const worker: KubeObject = { kind: 'Deployment', metadata: { namespace: 'shop', name: 'worker' } };
const service: KubeObject = { kind: 'Service', metadata: { namespace: 'shop', name: 'worker' } };
const model = { ownerOf: () => undefined } as unknown as ClusterModel;

const finding = (rule: string, severity: Severity, object: KubeObject): Finding => ({
  id: `${rule}@${object.kind ?? ''}`, rule, severity, title: rule, category: 'workloads',
  object: { kind: object.kind ?? '', namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' },
  message: rule, evidence: [], rootCause: '', fix: [], causedBy: [],
});

function link(named: readonly Cause[]): string[] {
  const findings = [
    finding('image-pull-failed', 'critical', worker),
    finding('mutable-image-tag', 'warning', worker),
    finding('duplicate-workload', 'warning', worker),
    finding('pdb-problem', 'info', worker),
  ];
  const effect = finding('service-no-endpoints', 'critical', service);
  correlate([...findings, effect], new Map([[effect, named]]), model);
  return effect.causedBy;
}

describe('correlate', () => {
  it('links a named object\'s most severe findings, not its hygiene warnings or info notes', () => {
    expect(link([worker])).toEqual(['image-pull-failed@Deployment']);
  });

  it('links the findings of the rules a cause names, whatever their severity, but never info', () => {
    expect(link([{ object: worker, rules: ['duplicate-workload', 'pdb-problem'] }])).toEqual(['duplicate-workload@Deployment']);
  });
});
