import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import { cachedIn, groupBy } from '../../model/collections.js';
import type { Container, KubeObject, LabelSelector, Service } from '../../model/k8s.js';
import { selectorMatches } from '../../model/labels.js';
import type { FieldPath } from '../../model/source-location.js';

/** One container of a pod template, with the path of the container inside its owner. */
export interface TemplateContainer {
  readonly owner: KubeObject;
  readonly namespace: string;
  readonly template: PodTemplateOwner;
  readonly container: Container;
  readonly name: string;
  readonly path: FieldPath;
  readonly init: boolean;
}

interface TemplateIndex {
  readonly templates: readonly PodTemplateOwner[];
  readonly templatesByNamespace: ReadonlyMap<string, readonly PodTemplateOwner[]>;
}

const indexes = new WeakMap<ClusterModel, TemplateIndex>();
const containersOf = new WeakMap<ClusterModel, readonly TemplateContainer[]>();
const containersWithInitOf = new WeakMap<ClusterModel, readonly TemplateContainer[]>();

/**
 * Pod templates grouped by namespace, computed once per model and shared by the rules (a
 * manifest tree of thousands of files must not be scanned per object). Services and
 * Ingresses of a namespace: `model.list(kind, namespace)`.
 */
export function templateIndex(model: ClusterModel): TemplateIndex {
  return cachedIn(indexes, model, () => {
    const templates = model.podTemplates();
    return { templates, templatesByNamespace: groupBy(templates, (t) => t.namespace) };
  });
}


/** Every (init) container of every pod template the model holds — works on cluster state and manifests alike. */
export function templateContainers(model: ClusterModel, options: { readonly init?: boolean } = {}): readonly TemplateContainer[] {
  const init = options.init === true;
  return cachedIn(init ? containersWithInitOf : containersOf, model, () => collectContainers(model, init));
}

function collectContainers(model: ClusterModel, withInit: boolean): TemplateContainer[] {
  const result: TemplateContainer[] = [];
  for (const template of model.podTemplates()) {
    const spec = template.template.spec;
    const groups = [['containers', spec?.containers, false], ...(withInit ? [['initContainers', spec?.initContainers, true] as const] : [])] as const;
    for (const [group, containers, init] of groups) {
      (containers ?? []).forEach((container, index) => {
        result.push({
          owner: template.owner,
          namespace: template.namespace,
          template,
          container,
          name: container.name ?? `#${index}`,
          path: [...template.path, 'spec', group, index],
          init,
        });
      });
    }
  }
  return result;
}

/** Services of the template's namespace whose selector picks the template's pod labels. */
export function servicesSelectingTemplate(model: ClusterModel, template: PodTemplateOwner): Service[] {
  return model.servicesSelectingLabels(template.template.metadata?.labels, template.namespace);
}

/** Templates of a namespace whose pod labels satisfy a label selector (an empty selector selects all). */
export function templatesSelectedBy(model: ClusterModel, selector: LabelSelector | undefined, namespace: string): PodTemplateOwner[] {
  return (templateIndex(model).templatesByNamespace.get(namespace) ?? []).filter((t) => selectorMatches(selector ?? {}, t.template.metadata?.labels));
}

/** Replicas a workload asks for (1 when unset, as the API server defaults it). */
export function desiredReplicas(owner: KubeObject): number | undefined {
  if (owner.kind !== 'Deployment' && owner.kind !== 'StatefulSet' && owner.kind !== 'ReplicaSet') return undefined;
  const replicas = (owner as { spec?: { replicas?: unknown } }).spec?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

/** `deployment/web` for kubectl. */
export function ownerName(owner: KubeObject): string {
  return `${(owner.kind ?? '').toLowerCase()}/${owner.metadata?.name ?? ''}`;
}

/** `-n shop ` or '' for objects without namespace (manifests that leave it to kubectl). */
export function namespaceFlag(namespace: string): string {
  return namespace ? `-n ${namespace} ` : '';
}
