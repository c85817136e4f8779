import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixture, testNow, testRule } from '../../../test/support/rule-tester.js';
import { causeObject } from '../../engine/correlate.js';
import imagePullFailed from '../image-pull-failed/rule.js';
import nodeProblem from '../node-problem/rule.js';
import volumeProblem from '../volume-problem/rule.js';
import { parseSchedulingMessage, primaryConstraint } from './constraints.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'a pod that waited for room once and now runs', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'not enough memory, held by a failing copy in another namespace',
      fixture: 'insufficient-memory.json',
      withRules: [imagePullFailed],
      findings: [{
        object: 'StatefulSet/shop/postgres',
        cause: 'insufficient-resources',
        message: ['postgres-0 Pending', '0/2 nodes fit', '2 node(s) without enough memory'],
        evidence: [
          '2 Insufficient memory',
          'the pod requests 2Gi memory',
          'node aks-nodepool1-41633911-vmss000000: memory allocatable 5.7Gi, requested 4.8Gi by 5 pods, free 857.7Mi < 2Gi needed',
          'held on aks-nodepool1-41633911-vmss000000 by: shop-staging/api-f7d6c5b4b9-',
          '1.5Gi (ImagePullBackOff)',
          'shop-staging/postgres-0 2Gi (copy of shop/postgres, Running)',
          '768Mi (CrashLoopBackOff (9 restarts); may be waiting for postgres)',
        ],
        rootCause: ['No node has memory left for postgres-0'],
        commands: ['kubectl -n shop-staging scale deployment/api --replicas=0', 'kubectl -n shop-staging scale statefulset/postgres --replicas=0', 'kubectl -n shop set resources statefulset/postgres --requests=memory=<lower-value>'],
        causedBy: ['Deployment/shop-staging/api'],
      }],
    },
    {
      name: 'a node tainted by disk pressure and a dedicated node',
      fixture: 'untolerated-taint.json',
      withRules: [nodeProblem],
      findings: [{
        object: 'Deployment/shop/search',
        cause: 'taint',
        evidence: ['node aks-nodepool1-41633911-vmss000000 is tainted node.kubernetes.io/disk-pressure:NoSchedule', 'node aks-nodepool1-41633911-vmss000001 is tainted workload=batch:NoSchedule'],
        rootCause: ['taint node.kubernetes.io/disk-pressure'],
        commands: ['kubectl describe node aks-nodepool1-41633911-vmss000000'],
        causedBy: ['Node//aks-nodepool1-41633911-vmss000000'],
      }],
    },
    {
      name: 'a nodeSelector no node satisfies',
      fixture: 'node-selector-mismatch.json',
      findings: [{
        object: 'Deployment/shop/recommender',
        cause: 'node-selector',
        evidence: ['nodeSelector: agentpool=gpu', 'node aks-nodepool1-41633911-vmss000000 lacks agentpool=gpu (node has nodepool1)'],
        commands: ['kubectl get nodes --show-labels'],
      }],
    },
    {
      name: 'a claim that is not bound',
      fixture: 'unbound-pvc.json',
      withRules: [volumeProblem],
      findings: [{
        object: 'StatefulSet/shop/postgres',
        cause: 'unbound-pvc',
        evidence: ['claim data-postgres-0: Pending (storageClassName fast-ssd)'],
        causedBy: ['PersistentVolumeClaim/shop/data-postgres-0'],
      }],
    },
    {
      name: 'nodes at their pod limit',
      fixture: 'too-many-pods.json',
      findings: [{
        object: 'Deployment/shop/worker',
        cause: 'too-many-pods',
        evidence: ['node aks-nodepool1-41633911-vmss000000: 4/4 pods'],
      }],
    },
  ],
});

describe('the pods it blames', () => {
  it('names a crash-looping pod that uses the pending pod\'s Service but does not blame it', () => {
    const model = loadFixture(fixtures, 'insufficient-memory.json').model();
    const detections = [...rule.detect(model, { now: testNow, options: {} })];
    expect(detections.map((d) => [...new Set((d.causedBy ?? []).map(causeObject).map((o) => `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`))].sort())).toEqual([
      ['Deployment/shop-staging/api', 'StatefulSet/shop-staging/postgres'],
    ]);
  });
});

describe('parseSchedulingMessage', () => {
  it('splits reasons without breaking taints apart and keeps their node counts', () => {
    const failure = parseSchedulingMessage('0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
    expect(failure.totalNodes).toBe(3);
    expect(failure.constraints.map((c) => [c.kind, c.nodes, c.resource ?? c.taint])).toEqual([
      ['taint', 1, 'node.kubernetes.io/disk-pressure'],
      ['insufficient-resources', 2, 'memory'],
    ]);
    expect(primaryConstraint(failure)?.kind).toBe('insufficient-resources');
  });

  it('reads the older "had taint …, that the pod didn\'t tolerate" form and cordoned nodes', () => {
    const failure = parseSchedulingMessage("0/2 nodes are available: 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 1 node(s) were unschedulable.");
    expect(failure.constraints.map((c) => c.taint)).toEqual(['dedicated=gpu', undefined, 'node.kubernetes.io/unschedulable']);
  });
});
