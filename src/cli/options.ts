import { UsageError } from '../errors.js';
import { parseQuantity } from '../model/quantity.js';
import type { NodeAllocatableOption } from '../rules/rollout-capacity/rule.js';
import { readRepoVersions } from '../sources/repo-versions.js';

/** The scan flags that feed rules (context.options), as commander hands them over. */
export interface RuleOptionFlags {
  readonly nodeCost?: string;
  readonly repo?: string;
  readonly nodeAllocatable?: string;
}

/** `--node-cost 70`: the monthly price of one node, in whatever currency the user thinks in. */
export function parseNodeCost(value: string): number {
  const trimmed = value.trim();
  const price = /^\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(price) || price <= 0) {
    throw new UsageError(`--node-cost "${value}": expected the monthly price of one node as a positive number, e.g. --node-cost 70 or --node-cost 140.16`);
  }
  return price;
}

/** `--node-allocatable cpu=1900m,memory=5792Mi[,nodes=3]`: what one node offers to pods, and how many nodes. */
export function parseNodeAllocatable(value: string): NodeAllocatableOption {
  const expected = 'expected cpu=QUANTITY,memory=QUANTITY[,nodes=N], e.g. --node-allocatable cpu=1900m,memory=5792Mi,nodes=3 (see "Allocatable" in kubectl describe node)';
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const match = /^\s*([a-z]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!match?.[1] || match[2] === undefined) throw new UsageError(`--node-allocatable "${value}": "${part}" is not key=value; ${expected}`);
    if (!['cpu', 'memory', 'nodes'].includes(match[1])) throw new UsageError(`--node-allocatable "${value}": unknown key "${match[1]}"; ${expected}`);
    if (fields.has(match[1])) throw new UsageError(`--node-allocatable "${value}": "${match[1]}" given twice; ${expected}`);
    fields.set(match[1], match[2]);
  }
  const quantity = (key: 'cpu' | 'memory'): number => {
    const text = fields.get(key);
    if (text === undefined) throw new UsageError(`--node-allocatable "${value}": ${key} is missing; ${expected}`);
    const parsed = parseQuantity(text);
    if (parsed === undefined || parsed <= 0) throw new UsageError(`--node-allocatable "${value}": ${key}=${text} is not a positive Kubernetes quantity; ${expected}`);
    return parsed;
  };
  const cpu = quantity('cpu');
  const memory = quantity('memory');
  const nodesText = fields.get('nodes');
  if (nodesText === undefined) return { cpu, memory };
  const nodes = /^\d+$/.test(nodesText) ? Number(nodesText) : Number.NaN;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 10_000) throw new UsageError(`--node-allocatable "${value}": nodes=${nodesText} is not a whole number of nodes; ${expected}`);
  return { cpu, memory, nodes };
}

/** The options rules read (context.options), from the flags; reads the repository when --repo is given. */
export function ruleOptions(flags: RuleOptionFlags): Record<string, unknown> {
  return {
    ...(flags.nodeCost === undefined ? {} : { nodeCost: parseNodeCost(flags.nodeCost) }),
    ...(flags.nodeAllocatable === undefined ? {} : { nodeAllocatable: parseNodeAllocatable(flags.nodeAllocatable) }),
    ...(flags.repo === undefined ? {} : { repoVersions: readRepoVersions(flags.repo) }),
  };
}
