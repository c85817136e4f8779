import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import type { Service } from '../../model/k8s.js';
import { labelDifferences } from '../../model/labels.js';

/** Services that route to pods: a non-empty selector, not ExternalName. */
export function selectingServices(model: ClusterModel): Service[] {
  return model.list('Service').filter((service) => service.spec?.type !== 'ExternalName' && Object.keys(service.spec?.selector ?? {}).length > 0);
}

/** Manifests often leave the namespace to `kubectl -n`: an empty namespace matches any. */
function sameNamespace(a: string, b: string): boolean {
  return a === b || a === '' || b === '';
}

/** Pod templates in the Service's namespace whose labels the selector picks. */
export function templatesSelectedBy(model: ClusterModel, service: Service): PodTemplateOwner[] {
  const selector = service.spec?.selector ?? {};
  const namespace = service.metadata?.namespace ?? '';
  return model.podTemplates().filter((t) => sameNamespace(t.namespace, namespace) && labelDifferences(selector, t.template.metadata?.labels).length === 0);
}

export interface NearMiss<T> {
  readonly item: T;
  readonly labels: Readonly<Record<string, string>>;
  readonly differences: { key: string; wanted: string; actual: string | undefined }[];
}

/**
 * Among the candidates, those that carry most of the selector's labels (at least one),
 * with the labels that differ: the pods (or templates) the Service was meant to select.
 */
export function nearestBySelector<T>(selector: Readonly<Record<string, string>>, candidates: readonly T[], labelsOf: (item: T) => Readonly<Record<string, string>> | undefined): NearMiss<T>[] {
  const size = Object.keys(selector).length;
  let best: NearMiss<T>[] = [];
  let bestMatched = 0;
  for (const item of candidates) {
    const labels = labelsOf(item) ?? {};
    const differences = labelDifferences(selector, labels);
    const matched = size - differences.length;
    if (matched === 0 || differences.length === 0) continue;
    if (matched > bestMatched) {
      best = [];
      bestMatched = matched;
    }
    if (matched === bestMatched) best.push({ item, labels, differences });
  }
  return best;
}

