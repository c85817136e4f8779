import { defineRule } from '../../engine/define-rule.js';
import { matchLog } from '../../logs/index.js';
import type { LogMatch } from '../../logs/index.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject, Pod, Service } from '../../model/k8s.js';
import { kubectlName, objectKey, refOf } from '../../model/object-ref.js';
import { endpointText, isDependencyDown, podIsReady, podStateSummary, resolveDependency } from '../support/dependencies.js';
import type { Dependency } from '../support/dependencies.js';
import { listNames, podName, workloadOf } from '../support/pods.js';

type Cause = 'no-ready-endpoints' | 'no-matching-pods' | 'service-missing';

interface Dependent {
  readonly pod: Pod;
  readonly container: string;
  readonly workload: KubeObject;
  readonly match: LogMatch;
  readonly dependency: Dependency;
}

/** Containers that are not Ready and whose log says they could not reach an in-cluster host that is down. */
function dependentsOf(model: ClusterModel, pod: Pod): Dependent[] {
  if (podIsReady(pod)) return [];
  const namespace = pod.metadata?.namespace ?? '';
  const found: Dependent[] = [];
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    if (status.ready === true) continue;
    const container = status.name ?? '';
    const log = model.crashLogOf(pod, container);
    if (log === undefined) continue;
    for (const match of matchLog(log)) {
      if (match.signature.category !== 'dependency' || match.host === undefined) continue;
      const dependency = resolveDependency(model, namespace, match.host, match.port);
      if (!dependency || !isDependencyDown(dependency)) continue;
      found.push({ pod, container, workload: workloadOf(model, pod), match, dependency });
      break;
    }
  }
  return found;
}

/** One finding per dependency that is down: on the Service when it exists, else on the workload that looks for it. */
function groupByDependency(dependents: readonly Dependent[]): Map<string, Dependent[]> {
  const groups = new Map<string, Dependent[]>();
  for (const dependent of dependents) {
    const key = dependent.dependency.service
      ? objectKey(dependent.dependency.service)
      : `${objectKey(dependent.workload)}/${dependent.dependency.host}`;
    const list = groups.get(key);
    if (list) list.push(dependent);
    else groups.set(key, [dependent]);
  }
  return groups;
}

function uniqueWorkloads(dependents: readonly Dependent[]): KubeObject[] {
  return [...new Map(dependents.map((d) => [objectKey(d.workload), d.workload])).values()];
}

export default defineRule({
  id: 'dependency-not-ready',
  meta: {
    title: 'A dependency is not ready',
    description: 'Workloads fail because their logs show they cannot reach an in-cluster Service that has no ready endpoints or does not exist; the dependency is the root cause.',
    category: 'pods',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    down: 'Service {{service}} has no ready endpoints; {{dependents}} cannot reach {{endpoint}}',
    missing: '{{dependents}} connect to {{endpoint}}, but no Service {{host}} exists in {{targetNamespace}}',
  },
  runbook: {
    symptoms: 'An application crash-loops or stays unready with connection errors (connection refused, timeouts, unknown host) to another in-cluster service, which is itself Pending, crashing or missing.',
    rootCause: 'A service the application needs at start-up is not available; the application fails in turn.',
    diagnosis: [
      { description: 'See the dependency\'s Service and endpoints', command: 'kubectl -n {{targetNamespace}} get service,endpoints {{host}}' },
      { description: 'See the dependency\'s pods', command: 'kubectl -n {{targetNamespace}} get pods -l {{selector}} -o wide' },
      { description: 'Read the failing application\'s log', command: 'kubectl -n {{namespace}} logs {{pod}} -c {{container}} --previous' },
    ],
    fix: [{ description: 'Make the dependency Ready, then restart the applications that gave up', command: 'kubectl -n {{dependentNamespace}} rollout restart {{dependentWorkload}}', mutates: true }],
    prevention: 'Let applications retry their dependencies with backoff (or wait in an init container) instead of exiting; alert on Services without ready endpoints; give stateful dependencies PodDisruptionBudgets and enough reserved capacity.',
    causes: {
      'no-ready-endpoints': {
        title: 'The dependency\'s pods are not Ready',
        rootCause: 'The pods behind Service {{service}} are not Ready ({{podStates}}), so nothing answers on {{endpoint}} and {{dependents}} fail in turn. Fix the dependency first; the applications recover once it is Ready.',
        fix: [
          { description: 'See why the dependency\'s pods are not Ready', command: 'kubectl -n {{targetNamespace}} describe pod {{failingPod}}' },
          { description: 'Once it is Ready, restart the applications that gave up', command: 'kubectl -n {{dependentNamespace}} rollout restart {{dependentWorkload}}', mutates: true },
        ],
      },
      'no-matching-pods': {
        title: 'The Service selects no pods',
        rootCause: 'Service {{service}} selects no pods ({{selector}}), so {{endpoint}} has nowhere to go and {{dependents}} fail. The selector is wrong or the dependency is not deployed.',
        fix: [
          { description: 'Compare the selector with the labels of the pods that should serve it', command: 'kubectl -n {{targetNamespace}} get pods --show-labels' },
          { description: 'Is the dependency deployed at all?', command: 'kubectl -n {{targetNamespace}} get deployments,statefulsets' },
        ],
      },
      'service-missing': {
        title: 'The host names no Service',
        rootCause: '{{dependents}} connect to {{endpoint}}, but namespace {{targetNamespace}} has no Service {{host}}: the dependency is not deployed there, is named differently, or lives in another namespace (use <service>.<namespace>.svc.cluster.local).',
        fix: [
          { description: 'List the Services that exist', command: 'kubectl get services -A' },
          { description: 'Point the connection setting at the right Service, or deploy the dependency in {{targetNamespace}}', command: 'kubectl -n {{dependentNamespace}} set env {{dependentWorkload}} --list' },
        ],
      },
    },
  },
  *detect(model) {
    const dependents = model.list('Pod').flatMap((pod) => dependentsOf(model, pod));
    for (const group of groupByDependency(dependents).values()) {
      const first = group[0];
      if (!first) continue;
      const { dependency, match } = first;
      const service: Service | undefined = dependency.service;
      const workloads = uniqueWorkloads(group);
      const firstWorkload = workloads[0] ?? first.workload;
      const dependentsText = listNames(workloads.map((w) => `${w.metadata?.namespace ?? ''}/${kubectlName(refOf(w))}`));
      const targetNamespace = service?.metadata?.namespace ?? (dependency.host.split('.')[1] ?? first.pod.metadata?.namespace ?? '');
      const selector = Object.entries(service?.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      const cause: Cause = !service ? 'service-missing' : dependency.backingPods.length === 0 ? 'no-matching-pods' : 'no-ready-endpoints';
      const failing = dependency.failingPods;
      yield {
        subject: service ?? firstWorkload,
        messageId: service ? 'down' : 'missing',
        cause,
        key: service ? 'service' : dependency.host,
        data: {
          service: service?.metadata?.name ?? dependency.host,
          host: service?.metadata?.name ?? dependency.host.split('.')[0] ?? dependency.host,
          endpoint: endpointText(dependency.host, dependency.port),
          dependents: dependentsText,
          dependentNamespace: firstWorkload.metadata?.namespace ?? '',
          dependentWorkload: kubectlName(refOf(firstWorkload)),
          targetNamespace,
          selector: selector || '<selector>',
          podStates: listNames(failing.map((p) => `${podName(p)} ${podStateSummary(p)}`)) || 'none',
          failingPod: failing[0] ? podName(failing[0]) : '<pod>',
          pod: podName(first.pod),
          container: first.container,
        },
        evidence: [
          ...group.slice(0, 3).map((d) => `${d.pod.metadata?.namespace ?? ''}/${podName(d.pod)} (${d.container}) log line ${String(d.match.lineNumber)}: ${d.match.line}`),
          ...(service
            ? [
                dependency.backingPods.length === 0
                  ? `Service ${targetNamespace}/${service.metadata?.name ?? ''} selects no pods (${selector || 'no selector'})`
                  : `Service ${targetNamespace}/${service.metadata?.name ?? ''}: 0 ready endpoints; ${listNames(failing.map((p) => `${podName(p)} ${podStateSummary(p)}`))}`,
              ]
            : [`no Service "${dependency.host}" in namespace ${targetNamespace} (${match.signature.title.toLowerCase()})`]),
        ],
        ...(failing.length ? { causedBy: failing } : {}),
      };
    }
  },
});
