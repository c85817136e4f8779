// Reads the scheduler's FailedScheduling message:
//   0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: },
//   2 Insufficient memory. preemption: 0/3 nodes are available: ...
// into the reasons it lists, each with the number of nodes it excluded.

export type ConstraintKind = 'insufficient-resources' | 'taint' | 'node-selector' | 'unbound-pvc' | 'too-many-pods' | 'other';

export interface SchedulingConstraint {
  readonly kind: ConstraintKind;
  /** How many nodes this reason excluded (1 when the message gives no count). */
  readonly nodes: number;
  /** The reason as the scheduler wrote it. */
  readonly text: string;
  /** For insufficient-resources: cpu, memory, ephemeral-storage, nvidia.com/gpu … */
  readonly resource?: string;
  /** For taint: the taint key (and value) the pod does not tolerate. */
  readonly taint?: string;
}

export interface SchedulingFailure {
  readonly totalNodes?: number;
  readonly constraints: readonly SchedulingConstraint[];
}

/** Splits on commas that are not inside `{…}` (taints are printed as `{key: value}`). */
function splitReasons(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '{') depth++;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

export function classifyReason(reason: string): Omit<SchedulingConstraint, 'nodes' | 'text'> {
  const insufficient = /^Insufficient (\S+)/i.exec(reason);
  if (insufficient?.[1] === 'pods') return { kind: 'too-many-pods' };
  if (insufficient) return { kind: 'insufficient-resources', resource: insufficient[1] ?? '' };
  if (/too many pods/i.test(reason)) return { kind: 'too-many-pods' };
  const taint = /taint \{([^}]*)\}/i.exec(reason);
  if (taint) {
    const [key = '', value = ''] = (taint[1] ?? '').split(':').map((s) => s.trim());
    return { kind: 'taint', taint: value ? `${key}=${value}` : key };
  }
  if (/were unschedulable/i.test(reason)) return { kind: 'taint', taint: 'node.kubernetes.io/unschedulable' };
  if (/node affinity|node selector|affinity\/selector|anti-affinity|pod affinity|topology spread/i.test(reason)) return { kind: 'node-selector' };
  if (/persistentvolumeclaim|persistent volumes? to bind|volume node affinity|unbound/i.test(reason)) return { kind: 'unbound-pvc' };
  return { kind: 'other' };
}

export function parseSchedulingMessage(message: string): SchedulingFailure {
  const main = message.split(/\.\s*preemption:/i)[0] ?? message;
  const header = /^(\d+)\/(\d+) nodes are available:?\s*/.exec(main);
  const body = (header ? main.slice(header[0].length) : main).replace(/\.\s*$/, '');
  const constraints: SchedulingConstraint[] = [];
  for (const part of splitReasons(body)) {
    if (!part) continue;
    const counted = /^(\d+)\s+(.*)$/.exec(part);
    const text = (counted ? counted[2] ?? '' : part).replace(/^node\(s\)\s+/, 'node(s) ');
    const nodes = counted ? Number(counted[1]) : 1;
    constraints.push({ ...classifyReason(text), nodes, text: counted ? `${nodes} ${text}` : text });
  }
  return { ...(header ? { totalNodes: Number(header[2]) } : {}), constraints };
}

const priority: readonly ConstraintKind[] = ['unbound-pvc', 'insufficient-resources', 'taint', 'node-selector', 'too-many-pods', 'other'];

/** The reason that excluded the most nodes; on a tie, the one most often at fault. */
export function primaryConstraint(failure: SchedulingFailure): SchedulingConstraint | undefined {
  return [...failure.constraints].sort((a, b) => b.nodes - a.nodes || priority.indexOf(a.kind) - priority.indexOf(b.kind))[0];
}
