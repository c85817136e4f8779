import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject, Service } from '../../model/k8s.js';
import { selectorMatches } from '../../model/labels.js';
import { environments } from './env.js';
import type { ContainerEnv } from './env.js';
import { clusterHost, parseEndpoint } from './hosts.js';
import { publicHosts, publicHostsOf } from './ingress-hosts.js';

/** Env names of secrets that sign sessions and tokens, shared by every service of an app. */
export const authSecretName = /^(?:BETTER_AUTH_SECRET|NEXTAUTH_SECRET|AUTH_SECRET|JWT_SECRET(?:_KEY)?|JWT_SIGNING_KEY|SESSION_SECRET|COOKIE_SECRET|TOKEN_SECRET|ACCESS_TOKEN_SECRET|REFRESH_TOKEN_SECRET|SECRET_KEY_BASE|SECRET_KEY|APP_KEY)$|(?:^|_)(?:JWT|AUTH|SESSION)_SECRET$/;

/** CORS allow-list env names. */
export const allowListName = /^(?:CORS_(?:ALLOWED_|ALLOW_)?ORIGINS?|ALLOWED_ORIGINS?|TRUSTED_ORIGINS|BETTER_AUTH_TRUSTED_ORIGINS|CSRF_TRUSTED_ORIGINS|ACCESS_CONTROL_ALLOW_ORIGIN|[A-Z0-9_]+_(?:CORS|ALLOWED|TRUSTED)_ORIGINS?)$/;

/** Workloads (pod template owners) whose pods a Service selects. */
export function workloadsBehind(model: ClusterModel, service: Service): KubeObject[] {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const namespace = service.metadata?.namespace ?? '';
  return model.podTemplates()
    .filter((t) => t.namespace === namespace && selectorMatches({ matchLabels: selector }, t.template.metadata?.labels))
    .map((t) => t.owner);
}

/** The workloads a workload calls: through env URLs (public Ingress hosts or in-cluster names) and through the Ingress hosts it shares. */
function calledWorkloads(model: ClusterModel, env: readonly ContainerEnv[], workload: KubeObject): Set<KubeObject> {
  const namespace = workload.metadata?.namespace ?? '';
  const called = new Set<KubeObject>();
  const behind = (serviceName: string, ns: string): void => {
    const service = model.get('Service', ns, serviceName);
    if (service) for (const w of workloadsBehind(model, service)) called.add(w);
  };
  const hosts = publicHosts(model);
  for (const container of env.filter((e) => e.owner === workload)) {
    for (const variable of container.vars.values()) {
      const endpoint = variable.value === undefined ? undefined : parseEndpoint(variable.value);
      if (!endpoint) continue;
      for (const host of hosts.filter((h) => h.host === endpoint.host)) for (const s of host.services) behind(s, host.ingress.metadata?.namespace ?? '');
      const inCluster = clusterHost(model, endpoint.host, namespace);
      if (inCluster?.service) behind(inCluster.name, inCluster.namespace);
    }
    // A frontend built without env (the API URL baked in or relative) calls the services beside it on its own hosts.
    for (const host of publicHostsOf(model, workload, container.template.template.metadata?.labels)) {
      for (const s of host.services) behind(s, namespace);
    }
  }
  called.delete(workload);
  return called;
}

/**
 * The objects whose configuration findings explain login or token failures seen on a
 * workload (a frontend whose logins fail, an API that rejects tokens): the workload itself,
 * the APIs it calls that hold a CORS allow-list, and every workload sharing an auth secret
 * name with them (`secret-mismatch` reports the one whose value differs). Rules that see the
 * symptom (log signatures such as `Invalid origin`, `Signature verification failed`,
 * `Failed to decrypt`) name these as `causedBy`, so `cors-origin-mismatch` and
 * `secret-mismatch` become the root causes of the login failure.
 */
export function loginCauses(model: ClusterModel, workload: KubeObject): KubeObject[] {
  const env = environments(model);
  const involved = new Set<KubeObject>([workload, ...calledWorkloads(model, env, workload)]);
  const authNames = new Set<string>();
  const causes = new Set<KubeObject>();
  for (const container of env) {
    if (!involved.has(container.owner)) continue;
    for (const name of container.vars.keys()) {
      if (authSecretName.test(name)) authNames.add(`${container.namespace}/${name}`);
      if (allowListName.test(name) || authSecretName.test(name)) causes.add(container.owner);
    }
  }
  for (const container of env) {
    if ([...container.vars.keys()].some((name) => authNames.has(`${container.namespace}/${name}`))) causes.add(container.owner);
  }
  return [...causes];
}

/** Login-failure lines in the logs of a workload's pods, as evidence lines (at most `max`). */
export function logEvidence(model: ClusterModel, workload: KubeObject, pattern: RegExp, max = 2): string[] {
  const lines: string[] = [];
  for (const pod of model.podsOf(workload)) {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    for (const container of pod.spec?.containers ?? []) {
      const text = model.logOf(namespace, name, container.name ?? '', false) ?? model.logOf(namespace, name, container.name ?? '', true) ?? '';
      for (const line of text.split('\n')) {
        if (lines.length >= max) return lines;
        if (pattern.test(line)) lines.push(`log ${name}/${container.name ?? ''}: ${line.trim()}`);
      }
    }
  }
  return lines;
}
