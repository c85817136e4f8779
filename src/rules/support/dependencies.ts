import type { FixStep } from '../../engine/types.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject, Pod, Service } from '../../model/k8s.js';
import { listNames } from './pods.js';
import { bestMatch } from '../../logs/index.js';
import type { LogMatch } from '../../logs/index.js';

/** A host a failing container could not reach, resolved against the cluster's Services. */
export interface Dependency {
  readonly host: string;
  readonly port?: number;
  /** The Service the host names, when it is one in the model. */
  readonly service?: Service;
  /** true when the host looks in-cluster but no such Service exists. */
  readonly missing: boolean;
  readonly readyEndpoints: number;
  /** The pods the Service selects. */
  readonly backingPods: readonly Pod[];
  /** Those of them that are not Ready (Pending, crashing, failing probes). */
  readonly failingPods: readonly Pod[];
}

const clusterSuffix = /\.svc(?:\.cluster\.local)?\.?$/i;
const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The log that explains a container's failure and the signature it shows, when the source had logs. */
export function crashEvidence(model: ClusterModel, pod: Pod, container: string): { log?: string; match?: LogMatch } {
  const log = model.crashLogOf(pod, container);
  if (log === undefined) return {};
  const match = bestMatch(log);
  return { log, ...(match ? { match } : {}) };
}

/**
 * The Service a host from a log line refers to, seen from the pod's namespace: by name
 * (`db`, `db.shop`, `db.shop.svc.cluster.local`) or by ClusterIP. Hosts that are clearly
 * outside the cluster (public names, IPs of no Service) give undefined.
 */
export function resolveDependency(model: ClusterModel, fromNamespace: string, host: string, port?: number): Dependency | undefined {
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || lower.startsWith('127.') || lower === '::1' || lower === '0.0.0.0') return undefined;
  const service = ipv4.test(lower)
    ? model.list('Service').find((s) => s.spec?.clusterIP === lower)
    : model.serviceForHost(lower, fromNamespace);
  const base = { host, ...(port === undefined ? {} : { port }) };
  if (!service) {
    if (ipv4.test(lower) || !looksInCluster(model, lower, fromNamespace)) return undefined;
    return { ...base, missing: true, readyEndpoints: 0, backingPods: [], failingPods: [] };
  }
  if (service.spec?.type === 'ExternalName') return undefined;
  const backingPods = model.podsOfService(service);
  const failingPods = backingPods.filter((pod) => !podIsReady(pod));
  const endpoints = model.endpointsOf(service);
  const readyEndpoints = endpoints.known ? endpoints.ready.length : backingPods.length - failingPods.length;
  return { ...base, service, missing: false, readyEndpoints, backingPods, failingPods };
}

/** A dependency that explains a failure: a Service with no ready endpoints, or one that does not exist. */
export function isDependencyDown(dependency: Dependency): boolean {
  return dependency.missing || dependency.readyEndpoints === 0;
}

/**
 * A name that can only mean a Service: one label (`postgres`), `name.namespace` of a
 * namespace the model knows, or a `.svc`/`.svc.cluster.local` name. Only said when the
 * model holds Services of that namespace, so a dump without Services reports nothing.
 */
function looksInCluster(model: ClusterModel, host: string, fromNamespace: string): boolean {
  const parts = host.replace(clusterSuffix, '').split('.');
  const namespace = parts.length === 1 ? fromNamespace : parts[1] ?? '';
  const inCluster = parts.length === 1 || (parts.length === 2 && model.namespaces().includes(namespace)) || clusterSuffix.test(host);
  return inCluster && model.list('Service', namespace).length > 0;
}

export function podIsReady(pod: Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** `postgres:5432` */
export function endpointText(host: string, port: number | undefined): string {
  return port === undefined ? host : `${host}:${port}`;
}

/** What a finding says about a dependency that is down: evidence lines, concrete fix steps, and the objects that explain it. */
export interface DependencyReport {
  readonly evidence: string[];
  readonly fix: FixStep[];
  /** The Service and its failing pods: their findings are the root cause. */
  readonly causes: KubeObject[];
}

export function dependencyReport(dependency: Dependency, fromNamespace: string): DependencyReport | undefined {
  if (!isDependencyDown(dependency)) return undefined;
  const service = dependency.service;
  if (!service) {
    return {
      evidence: [`host "${dependency.host}" names no Service in namespace ${fromNamespace}`],
      fix: [
        { description: `List the Services that exist; point the setting at one of them (across namespaces: <service>.<namespace>.svc.cluster.local)`, command: `kubectl -n ${fromNamespace} get services`, mutates: false },
      ],
      causes: [],
    };
  }
  const namespace = service.metadata?.namespace ?? '';
  const name = service.metadata?.name ?? '';
  const selector = Object.entries(service.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const podsLine = dependency.backingPods.length === 0
    ? `Service ${namespace}/${name} has 0 ready endpoints: its selector ${selector || '(none)'} matches no pod`
    : `Service ${namespace}/${name} has 0 ready endpoints: ${listNames(dependency.failingPods.map((p) => `${p.metadata?.name ?? ''} ${podStateSummary(p)}`))}`;
  const firstFailing = dependency.failingPods[0];
  return {
    evidence: [podsLine],
    fix: [
      { description: `Make the dependency Ready first: see why Service ${name}'s pods are not Ready`, command: firstFailing ? `kubectl -n ${namespace} describe pod ${firstFailing.metadata?.name ?? ''}` : `kubectl -n ${namespace} get pods -l ${selector} --show-labels`, mutates: false },
    ],
    causes: [service, ...dependency.failingPods],
  };
}

/** `Pending (Unschedulable)`, `Running, api CrashLoopBackOff` — a pod's state in a few words. */
export function podStateSummary(pod: Pod): string {
  const phase = pod.status?.phase ?? 'Unknown';
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (phase === 'Pending' && scheduled?.status === 'False') return `Pending (${scheduled.reason ?? 'not scheduled'})`;
  const waiting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
    .filter((s) => s.state?.waiting?.reason)
    .map((s) => `${s.name ?? ''} ${s.state?.waiting?.reason ?? ''}`);
  if (waiting.length) return `${phase}, ${waiting.join(', ')}`;
  return podIsReady(pod) ? phase : `${phase}, not Ready`;
}

/**
 * In-cluster dependencies a container is configured to use, from its env values
 * (`postgresql://user:****@postgres:5432/db`, `REDIS_HOST=cache`): the fallback when no log says
 * which connection failed.
 */
export function configuredDependencies(model: ClusterModel, namespace: string, env: readonly { readonly name?: string; readonly value?: string }[] | undefined): Dependency[] {
  const found: Dependency[] = [];
  for (const variable of env ?? []) {
    const value = variable.value ?? '';
    const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^\s@/]*@)?([A-Za-z0-9.-]+)(?::(\d{1,5}))?/i.exec(value);
    const hostOnly = /_(?:HOST|HOSTNAME|SERVER|ADDR)$/i.test(variable.name ?? '') ? /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value) : null;
    const match = url ?? hostOnly;
    const host = match?.[1];
    if (!host) continue;
    const port = match[2] === undefined ? undefined : Number(match[2]);
    const dependency = resolveDependency(model, namespace, host, port);
    if (dependency?.service && isDependencyDown(dependency) && !found.some((d) => d.service === dependency.service)) found.push(dependency);
  }
  return found;
}
