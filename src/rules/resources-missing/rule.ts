import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import { formatCpu, formatMemory, parseQuantity } from '../../model/quantity.js';
import { namespaceFlag, ownerName, templateContainers } from '../support/template-containers.js';

type Cause = 'no-requests' | 'no-memory-limit' | 'request-exceeds-node';

interface NodeSize {
  readonly name: string;
  readonly cpu: number;
  readonly memory: number;
}

/** The nodes to compare requests with: the cluster's, or the size given with --node-allocatable. */
function nodeSizes(model: ClusterModel, options: Readonly<Record<string, unknown>>): NodeSize[] {
  const nodes = model.list('Node').map((node) => ({
    name: node.metadata?.name ?? '',
    cpu: parseQuantity(node.status?.allocatable?.cpu) ?? Infinity,
    memory: parseQuantity(node.status?.allocatable?.memory) ?? Infinity,
  }));
  if (nodes.length) return nodes;
  const given = options.nodeAllocatable as { cpu?: string | number; memory?: string | number } | undefined;
  if (!given) return [];
  return [{ name: '--node-allocatable', cpu: parseQuantity(given.cpu) ?? Infinity, memory: parseQuantity(given.memory) ?? Infinity }];
}

export default defineRule<'missing' | 'tooLarge', Cause>({
  id: 'resources-missing',
  meta: {
    title: 'Container resources missing or impossible',
    description: 'A container has no cpu/memory requests or no memory limit, or requests more than any node can allocate.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    missing: 'container {{container}} in {{workload}} has no {{missing}}',
    tooLarge: 'container {{container}} in {{workload}} requests {{requested}}, more than any node can allocate ({{largest}})',
  },
  runbook: {
    symptoms: 'Nodes run out of memory and evict or OOM-kill unrelated pods; the scheduler packs pods onto full nodes; or pods stay Pending with `Insufficient cpu/memory`.',
    rootCause: 'The scheduler places pods by their requests; without them it cannot reserve room, and without a memory limit one container can take a node\'s memory.',
    diagnosis: [
      { description: 'Observed usage, to size requests and limits', command: 'kubectl {{nsFlag}}top pods --containers' },
      { description: 'Allocatable and requested per node', command: 'kubectl describe nodes | grep -A8 "Allocated resources"' },
    ],
    fix: [{ description: 'Set requests near observed use and a memory limit above the peak (in {{file}})', command: 'kubectl {{nsFlag}}set resources {{workload}} -c {{container}} --requests=cpu=100m,memory=128Mi --limits=memory=256Mi', mutates: true }],
    prevention: 'Give every container requests and a memory limit; enforce it with a LimitRange or an admission policy; size from `kubectl top` or VPA recommendations.',
    causes: {
      'no-requests': {
        title: 'No cpu/memory requests',
        rootCause: 'Without requests the pod is BestEffort or Burstable with no reservation: the scheduler may put it on a full node and it is the first to be evicted under pressure.',
        fix: [{ description: 'Add resources.requests (cpu and memory) to container {{container}} in {{file}}, sized from observed use', command: 'kubectl {{nsFlag}}set resources {{workload}} -c {{container}} --requests=cpu=100m,memory=128Mi', mutates: true }],
      },
      'no-memory-limit': {
        title: 'No memory limit',
        rootCause: 'Without a memory limit a leak or a spike in container {{container}} takes memory from every pod on the node until the kernel kills something.',
        fix: [{ description: 'Add resources.limits.memory to container {{container}} in {{file}}, above its observed peak', command: 'kubectl {{nsFlag}}set resources {{workload}} -c {{container}} --limits=memory=256Mi', mutates: true }],
      },
      'request-exceeds-node': {
        title: 'Request larger than any node',
        rootCause: 'No node has {{requested}} allocatable, so the pod can never be scheduled and stays Pending.',
        fix: [{ description: 'Lower the request of {{container}} below {{largest}} (in {{file}}), or add a node pool with larger nodes' }],
      },
    },
  },
  *detect(model, context) {
    const nodes = nodeSizes(model, context.options);
    for (const item of templateContainers(model)) {
      const resources = item.container.resources;
      const base = {
        container: item.name,
        workload: ownerName(item.owner),
        file: model.locate(item.owner)?.file ?? 'the manifest',
        nsFlag: namespaceFlag(item.namespace),
      };
      const requests = resources?.requests ?? {};
      const missingRequests = ['cpu', 'memory'].filter((r) => requests[r] === undefined && resources?.limits?.[r] === undefined);
      if (missingRequests.length) {
        yield {
          subject: item.owner,
          path: [...item.path, ...(resources ? ['resources'] : [])],
          messageId: 'missing',
          cause: 'no-requests',
          key: `${item.name}/requests`,
          data: { ...base, missing: `${missingRequests.join(' and ')} request${missingRequests.length > 1 ? 's' : ''}` },
          evidence: [`resources: ${JSON.stringify(resources ?? {})}`],
        };
      }
      if (resources?.limits?.memory === undefined) {
        yield {
          subject: item.owner,
          path: [...item.path, ...(resources ? ['resources'] : [])],
          messageId: 'missing',
          cause: 'no-memory-limit',
          key: `${item.name}/limit`,
          data: { ...base, missing: 'memory limit' },
          evidence: [`resources.limits: ${JSON.stringify(resources?.limits ?? {})}`],
        };
      }
      if (nodes.length === 0) continue;
      const cpu = parseQuantity(requests.cpu ?? resources?.limits?.cpu) ?? 0;
      const memory = parseQuantity(requests.memory ?? resources?.limits?.memory) ?? 0;
      if (nodes.some((n) => n.cpu >= cpu && n.memory >= memory)) continue;
      const largest = nodes.reduce((a, b) => (b.memory > a.memory ? b : a));
      yield {
        subject: item.owner,
        path: [...item.path, 'resources'],
        messageId: 'tooLarge',
        cause: 'request-exceeds-node',
        severity: 'critical',
        key: `${item.name}/too-large`,
        data: { ...base, requested: `cpu ${formatCpu(cpu)}, memory ${formatMemory(memory)}`, largest: `cpu ${formatCpu(largest.cpu)}, memory ${formatMemory(largest.memory)} on ${largest.name}` },
        evidence: nodes.slice(0, 5).map((n) => `node ${n.name}: allocatable cpu ${formatCpu(n.cpu)}, memory ${formatMemory(n.memory)}`),
      };
    }
  },
});
