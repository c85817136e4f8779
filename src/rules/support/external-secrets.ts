import type { ClusterModel } from '../../model/cluster-model.js';
import type { Condition, KubeObject } from '../../model/k8s.js';

export interface ExternalSecret extends KubeObject {
  readonly spec?: {
    readonly refreshInterval?: string;
    readonly secretStoreRef?: { readonly kind?: string; readonly name?: string };
    readonly target?: { readonly name?: string; readonly creationPolicy?: string };
  };
  readonly status?: {
    readonly refreshTime?: string | null;
    readonly conditions?: readonly Condition[];
  };
}

export interface SecretStore extends KubeObject {
  readonly spec?: { readonly provider?: Readonly<Record<string, unknown>> };
  readonly status?: { readonly conditions?: readonly Condition[] };
}

export function isExternalSecret(object: KubeObject): object is ExternalSecret {
  return object.kind === 'ExternalSecret' && (object.apiVersion ?? 'external-secrets.io/').startsWith('external-secrets.io/');
}

/** The store an ExternalSecret reads from: a SecretStore in its namespace or a ClusterSecretStore. */
export function storeOf(model: ClusterModel, externalSecret: ExternalSecret): { kind: string; name: string; store?: SecretStore } {
  const kind = externalSecret.spec?.secretStoreRef?.kind ?? 'SecretStore';
  const name = externalSecret.spec?.secretStoreRef?.name ?? '';
  const store = kind === 'ClusterSecretStore'
    ? model.get(kind, undefined, name)
    : model.get(kind, externalSecret.metadata?.namespace, name);
  return { kind, name, ...(store ? { store } : {}) };
}

/** The Secret an ExternalSecret writes: spec.target.name, or its own name. */
export function targetSecretName(externalSecret: ExternalSecret): string {
  return externalSecret.spec?.target?.name ?? externalSecret.metadata?.name ?? '';
}

export function readyCondition(object: { readonly status?: { readonly conditions?: readonly Condition[] } }): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The provider block's name (`azurekv`, `aws`, `gcpsm`, `vault` …). */
export function providerName(store: SecretStore): string | undefined {
  return Object.keys(store.spec?.provider ?? {})[0];
}

/**
 * The ServiceAccount a store authenticates as (workload identity, IRSA, GKE WI, Vault
 * kubernetes auth): the first `serviceAccountRef` anywhere in its provider block.
 */
export function storeServiceAccount(store: SecretStore, externalSecretNamespace: string): { namespace: string; name: string } | undefined {
  const visit = (node: unknown, depth: number): { name?: unknown; namespace?: unknown } | undefined => {
    if (depth > 6 || node === null || typeof node !== 'object') return undefined;
    const record = node as Record<string, unknown>;
    const ref = record.serviceAccountRef;
    if (ref !== null && typeof ref === 'object') return ref;
    for (const child of Object.values(record)) {
      const found = visit(child, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const ref = visit(store.spec?.provider, 0);
  if (!ref || typeof ref.name !== 'string') return undefined;
  const namespace = typeof ref.namespace === 'string' ? ref.namespace : store.kind === 'ClusterSecretStore' ? externalSecretNamespace : store.metadata?.namespace ?? externalSecretNamespace;
  return { namespace, name: ref.name };
}

/** Seconds of a Go duration (`1h`, `15m`, `1h30m0s`, `30s`); undefined when unreadable, 0 for "0". */
export function parseGoDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] ?? 's'] ?? 0), 0);
}
