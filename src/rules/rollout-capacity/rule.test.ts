import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/support/rule-tester.js';
import rule, { resolveIntOrPercent, surgeOf } from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));
const mi = 2 ** 20;

testRule(rule, fixtures, {
  valid: [
    { name: 'the same cluster rolling with maxSurge 0 / maxUnavailable 1', fixture: 'healthy.json' },
    { name: 'manifests without --node-allocatable (nothing to compare with)', fixture: 'manifests-no-room-for-surge-pod.json', source: 'manifests' },
    {
      name: 'manifests on nodes large enough for the surge pod',
      fixture: 'manifests-no-room-for-surge-pod.json',
      source: 'manifests',
      options: { nodeAllocatable: { cpu: 4, memory: 8192 * mi, nodes: 2 } },
    },
  ],
  invalid: [
    {
      name: 'a surge pod of 1Gi with 500Mi free on each schedulable node',
      fixture: 'no-room-for-surge-pod.json',
      findings: [{
        object: 'Deployment/shop/web',
        message: ['deployment/web needs a surge pod (200m CPU, 1Gi memory)'],
        evidence: [
          'maxSurge 1, maxUnavailable 0',
          'aks-nodepool1-41633911-vmss000000: 3800Mi allocatable − 3300Mi requested = 500Mi free < 1Gi requested by the surge pod',
          'aks-nodepool1-41633911-vmss000001: 3800Mi allocatable − 3300Mi requested = 500Mi free < 1Gi requested by the surge pod',
          'aks-nodepool1-41633911-vmss000002: not a candidate, cordoned',
        ],
        commands: [
          'kubectl -n shop patch deployment/web -p \'{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":1}}}}\'',
          'kubectl -n shop patch deployment/web -p \'{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}\'',
        ],
      }],
    },
    {
      name: 'manifests whose pods leave no node of the given size room for the surge pod',
      fixture: 'manifests-no-room-for-surge-pod.json',
      source: 'manifests',
      options: { nodeAllocatable: { cpu: 1.9, memory: 3800 * mi, nodes: 2 } },
      findings: [{
        object: 'Deployment/shop/web',
        message: ['2 node(s) of 1900m CPU / 3800Mi'],
        evidence: ['node 1 of 2 (--node-allocatable): 3800Mi allocatable − 3528Mi requested = 272Mi free < 1Gi requested by the surge pod'],
        commands: ['kubectl -n shop patch deployment/web'],
      }],
    },
  ],
});

describe('rollout arithmetic', () => {
  it('rounds surge up and unavailable down, like the Deployment controller', () => {
    expect(resolveIntOrPercent('25%', 2, '25%', true)).toBe(1);
    expect(resolveIntOrPercent('25%', 2, '25%', false)).toBe(0);
    expect(resolveIntOrPercent(undefined, 4, '25%', false)).toBe(1);
    expect(resolveIntOrPercent(2, 4, '25%', true)).toBe(2);
  });
  it('only RollingUpdates that must surge before removing a pod', () => {
    expect(surgeOf({ spec: { replicas: 2 } })).toEqual({ replicas: 2, maxSurge: 1, maxUnavailable: 0 });
    expect(surgeOf({ spec: { replicas: 4 } })).toBeUndefined();
    expect(surgeOf({ spec: { replicas: 2, strategy: { type: 'Recreate' } } })).toBeUndefined();
    expect(surgeOf({ spec: { replicas: 3, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } } })).toBeUndefined();
  });
});
