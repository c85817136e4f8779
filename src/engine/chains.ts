import type { Finding } from './types.js';

export interface ChainNode {
  readonly finding: Finding;
  /** Findings this one causes, each with its own effects. */
  readonly effects: readonly ChainNode[];
}

/**
 * Findings as trees, root cause first: roots are findings nothing else causes; under each,
 * the findings it causes. A finding caused by several roots is shown under the first
 * (in the findings' order) and only referenced by the others' `causedBy`.
 */
export function buildChains(findings: readonly Finding[]): ChainNode[] {
  const ids = new Set(findings.map((f) => f.id));
  const effectsOf = new Map<string, Finding[]>();
  for (const finding of findings) {
    for (const cause of finding.causedBy) {
      if (!ids.has(cause)) continue;
      const list = effectsOf.get(cause);
      if (list) list.push(finding);
      else effectsOf.set(cause, [finding]);
    }
  }
  const placed = new Set<string>();
  const build = (finding: Finding): ChainNode => {
    placed.add(finding.id);
    const effects = (effectsOf.get(finding.id) ?? []).filter((e) => !placed.has(e.id));
    for (const effect of effects) placed.add(effect.id);
    return { finding, effects: effects.map(build) };
  };
  const roots = findings.filter((f) => !f.causedBy.some((id) => ids.has(id)));
  // Roots that explain more come first; within that, the findings' own order.
  const size = (f: Finding, seen = new Set<string>()): number => {
    if (seen.has(f.id)) return 0;
    seen.add(f.id);
    return 1 + (effectsOf.get(f.id) ?? []).reduce((n, e) => n + size(e, seen), 0);
  };
  const ordered = roots
    .map((finding, index) => ({ finding, index, weight: size(finding) }))
    .sort((a, b) => (b.weight > 1 ? 1 : 0) - (a.weight > 1 ? 1 : 0) || a.index - b.index)
    .map((r) => r.finding);
  return ordered.filter((f) => !placed.has(f.id)).map(build);
}

/** How many findings a chain holds, root included. */
export function chainSize(node: ChainNode): number {
  return 1 + node.effects.reduce((n, e) => n + chainSize(e), 0);
}
