import type { KubeObject } from './k8s.js';

/** How findings and indexes name an object. Cluster-scoped objects have no namespace. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function refOf(object: KubeObject): ObjectRef {
  const namespace = object.metadata?.namespace;
  return {
    kind: object.kind ?? 'Unknown',
    ...(namespace ? { namespace } : {}),
    name: object.metadata?.name ?? '',
  };
}

export function keyOf(ref: { readonly kind?: string | undefined; readonly namespace?: string | undefined; readonly name?: string | undefined }): string {
  return `${ref.kind ?? ''}/${ref.namespace ?? ''}/${ref.name ?? ''}`;
}

export function objectKey(object: KubeObject): string {
  return keyOf({ kind: object.kind, namespace: object.metadata?.namespace, name: object.metadata?.name });
}

/** `deployment/api` — the form kubectl accepts. */
export function kubectlName(ref: ObjectRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

/** `shop/deployment/api`, or `node/worker-1` for cluster-scoped objects: for people. */
export function displayName(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${kubectlName(ref)}` : kubectlName(ref);
}
