import type { LabelSelector } from './k8s.js';

type Labels = Readonly<Record<string, string>> | undefined;

/**
 * Whether labels satisfy a selector, with the semantics of the API server: matchLabels
 * and every matchExpressions requirement must hold. An empty selector matches everything
 * (as for a NetworkPolicy podSelector); callers that want "matches nothing" for a
 * missing selector (Services) decide that themselves.
 */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  const have = labels ?? {};
  const wanted = selector.matchLabels;
  if (wanted) {
    for (const key in wanted) if (have[key] !== wanted[key]) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const key = requirement.key ?? '';
    const present = Object.hasOwn(have, key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!present || !values.includes(have[key] ?? '')) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[key] ?? '')) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service-style equality selector as a LabelSelector. */
export function equalitySelector(matchLabels: Readonly<Record<string, string>>): LabelSelector {
  return { matchLabels };
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/** The keys of matchLabels whose values differ from, or are missing in, the labels. */
export function labelDifferences(
  wanted: Readonly<Record<string, string>>,
  labels: Labels,
): { key: string; wanted: string; actual: string | undefined }[] {
  const have = labels ?? {};
  return Object.entries(wanted)
    .filter(([key, value]) => have[key] !== value)
    .map(([key, value]) => ({ key, wanted: value, actual: have[key] }));
}

export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}
