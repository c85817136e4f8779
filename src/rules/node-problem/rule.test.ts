import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'ready nodes with room to spare', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'a node whose kubelet stopped reporting',
      fixture: 'not-ready.json',
      findings: [{
        object: 'Node//aks-nodepool1-41633911-vmss000001',
        cause: 'not-ready',
        severity: 'critical',
        message: ['node aks-nodepool1-41633911-vmss000001 is NotReady (NodeStatusUnknown)'],
        evidence: ['condition Ready=Unknown NodeStatusUnknown since 2026-11-20T11:31:12Z: Kubelet stopped posting node status.', 'taints: node.kubernetes.io/unreachable:NoSchedule, node.kubernetes.io/unreachable:NoExecute', '1 pod(s) on the node, not ready: shop/api-4z8f8x8cpw-'],
        rootCause: ['(NodeStatusUnknown)'],
        commands: ['kubectl drain aks-nodepool1-41633911-vmss000001 --ignore-daemonsets --delete-emptydir-data'],
      }],
    },
    {
      name: 'a node with disk pressure turning a pod away',
      fixture: 'disk-pressure.json',
      findings: [{
        object: 'Node//aks-nodepool1-41633911-vmss000002',
        cause: 'disk-pressure',
        evidence: ['condition DiskPressure=True KubeletHasDiskPressure', 'taints: node.kubernetes.io/disk-pressure:NoSchedule', 'pending pods turned away by its taints: shop/search-c4d5e6f7b8-', 'EvictionThresholdMet (x3): Attempting to reclaim ephemeral-storage'],
        commands: ['kubectl debug node/aks-nodepool1-41633911-vmss000002 -it --image=busybox -- chroot /host crictl rmi --prune'],
      }],
    },
    {
      name: 'a cordoned node',
      fixture: 'cordoned.json',
      findings: [{ object: 'Node//aks-nodepool1-41633911-vmss000001', cause: 'cordoned', severity: 'warning', commands: ['kubectl uncordon aks-nodepool1-41633911-vmss000001'] }],
    },
    {
      name: 'a node with almost all its memory requested',
      fixture: 'requests-high.json',
      findings: [{
        object: 'Node//aks-nodepool1-41633911-vmss000000',
        cause: 'requests-high',
        severity: 'warning',
        message: ['has 88 % of its memory requested'],
        evidence: ['memory requested 5Gi of 5.7Gi allocatable (88 %)'],
      }],
    },
  ],
});
