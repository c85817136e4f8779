import type { ClusterModel, NodeAllocation } from '../../model/cluster-model.js';
import type { Node, PodSpec } from '../../model/k8s.js';
import { formatCpu } from '../../model/quantity.js';

export interface PodRequests {
  readonly cpu: number;
  readonly memory: number;
}

/**
 * Why the scheduler would not place a pod with this spec on the node regardless of free
 * resources (NotReady, cordoned, an untolerated NoSchedule/NoExecute taint, a nodeSelector
 * the node's labels miss), or undefined when it would consider the node.
 */
export function nodeExclusion(node: Node, spec: PodSpec | undefined): string | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') return 'NotReady';
  if (node.spec?.unschedulable) return 'cordoned';
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    const tolerated = (spec?.tolerations ?? []).some((t) =>
      (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taint.key) &&
      (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')) &&
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect));
    if (!tolerated) return `taint ${taint.key ?? ''}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
  }
  const labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(spec?.nodeSelector ?? {})) {
    if (labels[key] !== value) return `nodeSelector ${key}=${value} not on the node`;
  }
  return undefined;
}

export function fits(free: PodRequests, requests: PodRequests): boolean {
  return free.cpu >= requests.cpu - 1e-9 && free.memory >= requests.memory - 0.5;
}

/**
 * The arithmetic for a pod that does not fit:
 * `node-1: 3800Mi allocatable − 3300Mi requested = 500Mi free < 1Gi requested by the surge pod`.
 */
export function shortfall(allocation: NodeAllocation, requests: PodRequests, what: string): string {
  const name = allocation.node.metadata?.name ?? '';
  const parts: string[] = [];
  if (allocation.free.memory < requests.memory - 0.5) {
    parts.push(`${formatMemory(allocation.allocatable.memory)} allocatable − ${formatMemory(allocation.requested.memory)} requested = ${formatSigned(allocation.free.memory, formatMemory)} free < ${formatMemory(requests.memory)} requested by ${what}`);
  }
  if (allocation.free.cpu < requests.cpu - 1e-9) {
    parts.push(`${formatCpu(allocation.allocatable.cpu)} CPU allocatable − ${formatCpu(allocation.requested.cpu)} requested = ${formatSigned(allocation.free.cpu, formatCpu)} free < ${formatCpu(requests.cpu)} requested by ${what}`);
  }
  return `${name}: ${parts.length > 0 ? parts.join('; ') : `fits ${what}`}`;
}

function formatSigned(value: number, format: (v: number) => string): string {
  return value < 0 ? `−${format(-value)}` : format(value);
}

/** Allocations of the nodes the scheduler would consider for this pod spec, and why the others are out. */
export function candidateNodes(model: ClusterModel, spec: PodSpec | undefined): { candidates: NodeAllocation[]; excluded: string[] } {
  const candidates: NodeAllocation[] = [];
  const excluded: string[] = [];
  for (const node of model.list('Node')) {
    const reason = nodeExclusion(node, spec);
    if (reason) excluded.push(`${node.metadata?.name ?? ''}: not a candidate, ${reason}`);
    else candidates.push(model.nodeAllocation(node));
  }
  return { candidates, excluded };
}

/** Whether the scheduler would find a node with room for these requests (candidateNodes, stopping at the first fit). */
export function someNodeFits(model: ClusterModel, spec: PodSpec | undefined, requests: PodRequests): boolean {
  for (const node of model.list('Node')) {
    if (fits(model.nodeAllocation(node).free, requests) && nodeExclusion(node, spec) === undefined) return true;
  }
  return false;
}

export function describeRequests(requests: PodRequests): string {
  return `${formatCpu(requests.cpu)} CPU, ${formatMemory(requests.memory)} memory`;
}

/** Memory the way people write requests: `1Gi`, `3300Mi`, `5792Mi` (whole Gi, else rounded Mi). */
export function formatMemory(bytes: number): string {
  const gi = 2 ** 30;
  const mi = 2 ** 20;
  if (bytes >= gi && Number.isInteger(bytes / gi)) return `${bytes / gi}Gi`;
  if (bytes >= mi) return `${Math.round(bytes / mi)}Mi`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)}Ki`;
  return `${Math.round(bytes)}`;
}
