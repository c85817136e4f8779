import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import type { KubeObject } from '../../model/k8s.js';
import type { FieldPath } from '../../model/source-location.js';

export type ReferencedKind = 'Secret' | 'ConfigMap' | 'ServiceAccount' | 'PersistentVolumeClaim';

/** Everything a pod template needs to exist before its containers can start. */
export interface TemplateReference {
  readonly kind: ReferencedKind;
  readonly name: string;
  readonly key?: string;
  readonly container?: string;
  readonly via: string;
  readonly path: FieldPath;
  /** `optional: true`: the pod starts without it (and the app may crash instead). */
  readonly optional: boolean;
}

/** ConfigMaps the control plane publishes in every namespace (service-account token volumes mount them). */
const clusterProvidedConfigMaps = new Set(['kube-root-ca.crt', 'openshift-service-ca.crt']);

/** References of a template that can keep it from starting or running (image pull secrets are image-pull-failed's). */
export function templateReferences(model: ClusterModel, template: PodTemplateOwner): TemplateReference[] {
  const spec = template.template.spec;
  const specPath: FieldPath = [...template.path, 'spec'];
  // A ConfigReference is a TemplateReference already.
  const refs: TemplateReference[] = model.configReferences(spec, specPath)
    .filter((r) => r.via !== 'imagePullSecret' && !(r.kind === 'ConfigMap' && clusterProvidedConfigMaps.has(r.name)));
  const serviceAccount = spec?.serviceAccountName;
  if (serviceAccount && serviceAccount !== 'default') {
    refs.push({ kind: 'ServiceAccount', name: serviceAccount, via: 'serviceAccountName', path: [...specPath, 'serviceAccountName'], optional: false });
  }
  const claimTemplates = new Set(volumeClaimTemplateNames(template.owner));
  (spec?.volumes ?? []).forEach((volume, index) => {
    const claim = volume.persistentVolumeClaim?.claimName;
    if (claim && !claimTemplates.has(volume.name ?? '')) {
      refs.push({ kind: 'PersistentVolumeClaim', name: claim, via: `volume ${volume.name ?? ''}`, path: [...specPath, 'volumes', index, 'persistentVolumeClaim', 'claimName'], optional: false });
    }
  });
  return refs;
}

function volumeClaimTemplateNames(owner: KubeObject): string[] {
  if (owner.kind !== 'StatefulSet') return [];
  const templates = (owner.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] } | undefined)?.volumeClaimTemplates ?? [];
  return templates.map((t) => t.metadata?.name ?? '');
}

/** Keys an object holds (names only; values are redacted anyway). */
export function keysOf(object: KubeObject): Set<string> {
  const record = object as { data?: Record<string, unknown>; stringData?: Record<string, unknown>; binaryData?: Record<string, unknown> };
  return new Set([...Object.keys(record.data ?? {}), ...Object.keys(record.stringData ?? {}), ...Object.keys(record.binaryData ?? {})]);
}

/** An ExternalSecret (external-secrets.io) that produces the Secret of that name. */
export function externalSecretFor(model: ClusterModel, namespace: string, secret: string): KubeObject | undefined {
  return model.list('ExternalSecret', namespace).find((es) => {
    const target = (es.spec as { target?: { name?: string } } | undefined)?.target?.name;
    return (target ?? es.metadata?.name) === secret;
  });
}

/** A SealedSecret (bitnami) produces a Secret of its own name. */
export function sealedSecretFor(model: ClusterModel, namespace: string, secret: string): KubeObject | undefined {
  return model.get('SealedSecret', namespace, secret);
}

/** Existing names within a small edit distance: the likely typo. */
export function similarNames(name: string, candidates: readonly string[]): string[] {
  return candidates.filter((c) => c !== name && (editDistance(c, name) <= 3 || c.startsWith(name) || name.startsWith(c))).slice(0, 3);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 4;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
