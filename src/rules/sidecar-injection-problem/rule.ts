import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Pod } from '../../model/k8s.js';
import { containerStatuses, eventEvidence, groupByWorkload, listNames, podEvents, podName, workloadName } from '../support/pods.js';

/** The sidecars kubetriage knows: how a pod asks for one, what it is called, who injects it. */
interface SidecarKind {
  readonly mesh: string;
  /** Whether the pod (or its namespace) asked for injection. */
  readonly requested: (pod: Pod, namespaceLabels: Readonly<Record<string, string>>) => string | undefined;
  readonly containers: readonly string[];
  readonly injectorNamespace: string;
  /** Labels that identify the injector's pods. */
  readonly injectorLabels: readonly (readonly [string, string])[];
}

const annotation = (pod: Pod, key: string): string | undefined => pod.metadata?.annotations?.[key];
const label = (pod: Pod, key: string): string | undefined => pod.metadata?.labels?.[key];

export const sidecarKinds: readonly SidecarKind[] = [
  {
    mesh: 'Dapr',
    requested: (pod) => (annotation(pod, 'dapr.io/enabled') === 'true' ? 'annotation dapr.io/enabled: "true"' : undefined),
    containers: ['daprd'],
    injectorNamespace: 'dapr-system',
    injectorLabels: [['app', 'dapr-sidecar-injector'], ['app', 'dapr-operator']],
  },
  {
    mesh: 'Istio',
    requested: (pod, ns) => {
      const podSays = label(pod, 'sidecar.istio.io/inject') ?? annotation(pod, 'sidecar.istio.io/inject');
      if (podSays === 'false') return undefined;
      if (podSays === 'true') return 'sidecar.istio.io/inject: "true"';
      if (ns['istio-injection'] === 'enabled') return 'namespace label istio-injection=enabled';
      return undefined;
    },
    containers: ['istio-proxy'],
    injectorNamespace: 'istio-system',
    injectorLabels: [['app', 'istiod']],
  },
  {
    mesh: 'Linkerd',
    requested: (pod, ns) => {
      const podSays = annotation(pod, 'linkerd.io/inject');
      if (podSays === 'disabled') return undefined;
      if (podSays === 'enabled') return 'annotation linkerd.io/inject: enabled';
      if (ns['linkerd.io/inject'] === 'enabled') return 'namespace annotation linkerd.io/inject: enabled';
      return undefined;
    },
    containers: ['linkerd-proxy'],
    injectorNamespace: 'linkerd',
    injectorLabels: [['linkerd.io/control-plane-component', 'proxy-injector']],
  },
  {
    mesh: 'Vault Agent',
    requested: (pod) => (annotation(pod, 'vault.hashicorp.com/agent-inject') === 'true' ? 'annotation vault.hashicorp.com/agent-inject: "true"' : undefined),
    containers: ['vault-agent', 'vault-agent-init'],
    injectorNamespace: 'vault',
    injectorLabels: [['app.kubernetes.io/name', 'vault-agent-injector']],
  },
];

const failingWaits = new Set(['CrashLoopBackOff', 'CreateContainerError', 'CreateContainerConfigError', 'ErrImagePull', 'ImagePullBackOff', 'RunContainerError']);

/** Injector pods of a sidecar kind that are not Ready, with their waiting reason. */
function failingInjectorPods(model: ClusterModel, kind: SidecarKind): { pod: Pod; reason: string }[] {
  return model.list('Pod', kind.injectorNamespace)
    .filter((pod) => kind.injectorLabels.some(([key, value]) => pod.metadata?.labels?.[key] === value))
    .flatMap((pod) => {
      const broken = containerStatuses(pod).find((c) => !c.status.ready);
      if (!broken && pod.status?.phase === 'Running') return [];
      const reason = broken?.status.state?.waiting?.reason ?? broken?.status.state?.terminated?.reason ?? pod.status?.phase ?? 'NotReady';
      return [{ pod, reason }];
    });
}

function namespaceLabels(model: ClusterModel, namespace: string): Readonly<Record<string, string>> {
  const ns = model.get('Namespace', undefined, namespace);
  return { ...ns?.metadata?.labels, ...ns?.metadata?.annotations };
}

/** Minutes since an ISO time, or undefined. */
function minutesSince(time: string | undefined, now: Date): number | undefined {
  if (!time) return undefined;
  const then = Date.parse(time);
  return Number.isNaN(then) ? undefined : (now.getTime() - then) / 60_000;
}

export default defineRule({
  id: 'sidecar-injection-problem',
  meta: {
    title: 'Sidecar injection problem',
    description: 'Pods that asked for a sidecar (Dapr, Istio, Linkerd, Vault Agent) run without it, pods stuck in Init, or the injector itself failing.',
    category: 'addons',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    missing: '{{workload}} asked for the {{mesh}} sidecar ({{request}}) but {{pods}} run without {{sidecar}}',
    injector: 'the {{mesh}} injector is not running: {{pods}} {{reason}}',
    stuckInit: '{{pods}} stuck in Init for {{minutes}} min: init container {{container}} {{state}}',
  },
  runbook: {
    symptoms: 'The application cannot reach its sidecar (Dapr `connection refused` on localhost:3500, no mTLS, no secrets file), or pods stay in `Init:0/1` / `PodInitializing`.',
    rootCause: 'Sidecars are added by a mutating webhook when the pod is created; pods created while the injector was down, or whose namespace/annotations do not opt in, never get one.',
    diagnosis: [
      { description: 'List the pod\'s containers', command: 'kubectl -n {{namespace}} get pod {{pod}} -o jsonpath=\'{.spec.containers[*].name}\'' },
      { description: 'Check the webhook configurations', command: 'kubectl get mutatingwebhookconfigurations' },
    ],
    fix: [{ description: 'Fix the injector, then recreate the pods so the webhook sees them', command: 'kubectl -n {{namespace}} rollout restart {{workload}}', mutates: true }],
    prevention: 'Alert on the injector\'s availability, give it a PodDisruptionBudget and several replicas, and deploy applications only after their mesh is ready.',
    causes: {
      'sidecar-missing': {
        title: 'Sidecar requested but absent',
        rootCause: 'The pods were created without the {{mesh}} sidecar: the injector was down or its webhook did not match when they were created.',
        fix: [
          { description: 'Check the injector', command: 'kubectl -n {{injectorNamespace}} get pods' },
          { description: 'Recreate the pods once the injector is Ready', command: 'kubectl -n {{namespace}} rollout restart {{workload}}', mutates: true },
        ],
      },
      'injector-failing': {
        title: 'Injector or operator failing',
        rootCause: 'The {{mesh}} control plane pods are not Ready ({{reason}}), so no new pod gets its sidecar and injected pods may fail.',
        fix: [
          { description: 'Read why the injector fails', command: 'kubectl -n {{namespace}} describe pod {{pod}}' },
          { description: 'Read its logs', command: 'kubectl -n {{namespace}} logs {{pod}} --all-containers --previous' },
        ],
      },
      'stuck-in-init': {
        title: 'Pod stuck in Init',
        rootCause: 'Init container {{container}} has not completed, so the application containers never start.',
        fix: [
          { description: 'Read the init container\'s log', command: 'kubectl -n {{namespace}} logs {{pod}} -c {{container}}' },
          { description: 'Read its events', command: 'kubectl -n {{namespace}} describe pod {{pod}}' },
        ],
      },
    },
  },
  *detect(model, context) {
    const injectorFindings = new Map<SidecarKind, Pod[]>();
    for (const kind of sidecarKinds) {
      const failing = failingInjectorPods(model, kind);
      if (failing.length === 0) continue;
      injectorFindings.set(kind, failing.map((f) => f.pod));
      for (const group of groupByWorkload(model, failing, () => kind.mesh)) {
        const first = group.items[0];
        if (!first) continue;
        yield {
          subject: group.workload,
          messageId: 'injector',
          cause: 'injector-failing',
          key: kind.mesh,
          data: { mesh: kind.mesh, pods: listNames(group.items.map((f) => podName(f.pod))), reason: first.reason, pod: podName(first.pod), workload: workloadName(model, first.pod), injectorNamespace: kind.injectorNamespace },
          evidence: [
            ...group.items.map((f) => `${podName(f.pod)}: ${f.reason}`),
            ...podEvents(model, first.pod).filter((e) => e.type === 'Warning').slice(-2).map(eventEvidence),
          ],
        };
      }
    }

    const labelsOfNamespace = new Map<string, Readonly<Record<string, string>>>();
    const missing = model.list('Pod').flatMap((pod) => {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return [];
      const namespace = pod.metadata?.namespace ?? '';
      let nsLabels = labelsOfNamespace.get(namespace);
      if (!nsLabels) labelsOfNamespace.set(namespace, (nsLabels = namespaceLabels(model, namespace)));
      let names: Set<string> | undefined;
      return sidecarKinds.flatMap((kind) => {
        const request = kind.requested(pod, nsLabels);
        if (!request) return [];
        names ??= new Set([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name ?? ''));
        const present = names;
        if (kind.containers.some((c) => present.has(c))) return [];
        return [{ pod, kind, request }];
      });
    });
    for (const group of groupByWorkload(model, missing, (m) => m.kind.mesh)) {
      const first = group.items[0];
      if (!first) continue;
      const injectors = injectorFindings.get(first.kind) ?? [];
      yield {
        subject: group.workload,
        messageId: 'missing',
        cause: 'sidecar-missing',
        key: `missing/${first.kind.mesh}`,
        data: {
          workload: workloadName(model, first.pod),
          mesh: first.kind.mesh,
          request: first.request,
          pods: listNames(group.items.map((m) => podName(m.pod))),
          sidecar: first.kind.containers[0] ?? '',
          pod: podName(first.pod),
          injectorNamespace: first.kind.injectorNamespace,
        },
        evidence: [
          `requested by ${first.request}`,
          `containers: ${(first.pod.spec?.containers ?? []).map((c) => c.name ?? '').join(', ')}`,
          injectors.length ? `injector pods not Ready: ${listNames(injectors.map(podName))}` : `injector pods in ${first.kind.injectorNamespace}: none failing in this snapshot (the pods may predate the injector)`,
        ],
        causedBy: injectors,
      };
    }

    const stuck = model.list('Pod').flatMap((pod) => {
      const initStatuses = pod.status?.initContainerStatuses ?? [];
      const blocking = initStatuses.find((s) => s.state?.terminated?.exitCode !== 0);
      if (!blocking || pod.status?.phase !== 'Pending') return [];
      const waiting = blocking.state?.waiting?.reason;
      // Crash-looping or unpullable init containers are crash-loop's and image-pull-failed's.
      if (waiting && failingWaits.has(waiting)) return [];
      const minutes = minutesSince(pod.status.startTime ?? pod.metadata?.creationTimestamp, context.now);
      if (minutes === undefined || minutes < 10) return [];
      const state = blocking.state?.running ? 'is still running' : waiting ? `is waiting (${waiting})` : 'has not started';
      return [{ pod, container: blocking.name ?? '', minutes: Math.round(minutes), state }];
    });
    for (const group of groupByWorkload(model, stuck, (s) => s.container)) {
      const first = group.items[0];
      if (!first) continue;
      yield {
        subject: group.workload,
        messageId: 'stuckInit',
        cause: 'stuck-in-init',
        key: `init/${first.container}`,
        data: {
          pods: listNames(group.items.map((s) => podName(s.pod))),
          minutes: first.minutes,
          container: first.container,
          state: first.state,
          pod: podName(first.pod),
          workload: workloadName(model, first.pod),
          injectorNamespace: '',
        },
        evidence: [
          `pod started ${first.minutes} min before the snapshot; init container ${first.container} ${first.state}`,
          ...podEvents(model, first.pod, first.container).slice(-2).map(eventEvidence),
        ],
      };
    }
  },
});
