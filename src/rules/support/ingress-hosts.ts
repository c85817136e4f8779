import type { ClusterModel } from '../../model/cluster-model.js';
import type { Ingress, KubeObject, Service } from '../../model/k8s.js';

export interface PublicHost {
  readonly host: string;
  /** true when a TLS entry of the Ingress lists the host. */
  readonly tls: boolean;
  readonly ingress: Ingress;
  /** The backend Service names routed under this host. */
  readonly services: readonly string[];
  /** `https://host` or `http://host`: the origin browsers see. */
  readonly origin: string;
}

/** Every host of every Ingress, with its TLS state and backend Services. */
export function publicHosts(model: ClusterModel, namespace?: string): PublicHost[] {
  return model.list('Ingress', namespace).flatMap((ingress) => {
    const tlsHosts = new Set((ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? []).map((h) => h.toLowerCase()));
    const byHost = new Map<string, Set<string>>();
    for (const rule of ingress.spec?.rules ?? []) {
      if (!rule.host) continue;
      const host = rule.host.toLowerCase();
      const services = byHost.get(host) ?? new Set<string>();
      for (const path of rule.http?.paths ?? []) if (path.backend?.service?.name) services.add(path.backend.service.name);
      byHost.set(host, services);
    }
    return [...byHost.entries()].map(([host, services]) => {
      const tls = tlsHosts.has(host) || [...tlsHosts].some((t) => t.startsWith('*.') && host.endsWith(t.slice(1)));
      return { host, tls, ingress, services: [...services].sort(), origin: `${tls ? 'https' : 'http'}://${host}` };
    });
  }).sort((a, b) => a.host.localeCompare(b.host));
}

/**
 * Services in the owner's namespace that select a pod template's labels: how an Ingress
 * reaches a workload, on cluster state and on manifests alike.
 */
export function servicesOfTemplate(model: ClusterModel, owner: KubeObject, labels: Readonly<Record<string, string>> | undefined): Service[] {
  return model.servicesSelectingLabels(labels, owner.metadata?.namespace ?? '');
}

/** The public hosts whose Ingress routes to a workload (through a Service selecting its pods). */
export function publicHostsOf(model: ClusterModel, owner: KubeObject, labels: Readonly<Record<string, string>> | undefined): PublicHost[] {
  const namespace = owner.metadata?.namespace ?? '';
  if (model.list('Ingress', namespace).length === 0) return [];
  const services = new Set(servicesOfTemplate(model, owner, labels).map((s) => s.metadata?.name ?? ''));
  if (services.size === 0) return [];
  return publicHosts(model, namespace).filter((h) => h.services.some((s) => services.has(s)));
}
