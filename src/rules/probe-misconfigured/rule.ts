import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Container, Ingress, Probe } from '../../model/k8s.js';
import type { FieldPath } from '../../model/source-location.js';
import { namespaceFlag, ownerName, servicesSelectingTemplate, templateContainers } from '../support/template-containers.js';
import type { TemplateContainer } from '../support/template-containers.js';

type Cause = 'undeclared-port-name' | 'undeclared-port-number' | 'no-readiness-probe' | 'liveness-equals-readiness' | 'health-check-path-differs';

const probeKinds = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

/** Ingress annotations that set the load balancer's own health check path. */
const healthCheckAnnotations = ['alb.ingress.kubernetes.io/healthcheck-path', 'appgw.ingress.kubernetes.io/health-probe-path'];

function probePort(probe: Probe): { port: number | string; field: FieldPath } | undefined {
  if (probe.httpGet?.port !== undefined) return { port: probe.httpGet.port, field: ['httpGet', 'port'] };
  if (probe.tcpSocket?.port !== undefined) return { port: probe.tcpSocket.port, field: ['tcpSocket', 'port'] };
  if (probe.grpc?.port !== undefined) return { port: probe.grpc.port, field: ['grpc', 'port'] };
  return undefined;
}

function declaredPorts(container: Container): string {
  return (container.ports ?? []).map((p) => (p.name ? `${p.name}=${p.containerPort ?? '?'}` : String(p.containerPort ?? '?'))).join(', ') || 'none';
}

function sameProbe(a: Probe, b: Probe): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Health-check paths that ingresses in front of the container's Services set for their load balancer. */
function healthCheckPaths(model: ClusterModel, item: TemplateContainer): { ingress: Ingress; path: string }[] {
  const ingresses = model.list('Ingress', item.namespace);
  if (ingresses.length === 0) return [];
  const services = new Set(servicesSelectingTemplate(model, item.template).map((s) => s.metadata?.name));
  if (services.size === 0) return [];
  return ingresses.flatMap((ingress) => {
    const annotations = ingress.metadata?.annotations ?? {};
    const path = healthCheckAnnotations.map((a) => annotations[a]).find((p) => p !== undefined);
    if (path === undefined) return [];
    const backends = (ingress.spec?.rules ?? []).flatMap((r) => r.http?.paths ?? []).map((p) => p.backend?.service?.name);
    return backends.some((b) => services.has(b)) ? [{ ingress, path }] : [];
  });
}

export default defineRule<'port' | 'noReadiness' | 'identical' | 'healthPath', Cause>({
  id: 'probe-misconfigured',
  meta: {
    title: 'Probe misconfigured',
    description: 'A probe checks a port the container does not declare, a Service-backed container has no readiness probe, liveness equals readiness with no startup probe, or the probe path differs from the load balancer health check.',
    category: 'pods',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    port: 'the {{probe}} of container {{container}} in {{workload}} checks port {{port}}, which the container does not declare (it declares {{declared}})',
    noReadiness: 'container {{container}} in {{workload}} backs Service {{service}} but has no readiness probe: it gets traffic before it can serve',
    identical: 'container {{container}} in {{workload}} uses the same check for liveness and readiness and has no startup probe',
    healthPath: 'the readiness probe of container {{container}} in {{workload}} checks {{probePath}}, but Ingress {{ingress}} health-checks {{healthPath}}',
  },
  runbook: {
    symptoms: 'Pods restart or stay unready (`Readiness probe failed: connection refused`, `Liveness probe failed`), or receive traffic before they can answer (502/503 during rollouts).',
    rootCause: 'The probes do not match what the container actually serves.',
    diagnosis: [
      { description: 'See the probes and ports of the pod template', command: 'kubectl {{nsFlag}}get {{workload}} -o jsonpath=\'{.spec.template.spec.containers[*].readinessProbe}\'' },
      { description: 'Read the probe failures', command: 'kubectl {{nsFlag}}get events --field-selector reason=Unhealthy' },
    ],
    fix: [{ description: 'Point the probe at a port and path the container serves' }],
    prevention: 'Name container ports and refer to them by name in probes and Service targetPorts; give every Service-backed container a readiness probe; use a startupProbe for slow starters instead of a long liveness delay.',
    causes: {
      'undeclared-port-name': {
        title: 'Probe refers to a port name the container does not have',
        rootCause: 'The {{probe}} uses the named port {{port}}, but the container declares no port of that name ({{declared}}); the kubelet cannot resolve it and the probe always fails.',
        fix: [{ description: 'Use a declared port name in the probe, or add `- name: {{port}}` to the container ports (in {{file}})' }],
      },
      'undeclared-port-number': {
        title: 'Probe checks a port the container does not declare',
        rootCause: 'The {{probe}} checks port {{port}}, which is not among the container ports ({{declared}}); usually the app listens elsewhere and the probe gets `connection refused`.',
        fix: [{ description: 'Check which port the app listens on, then fix the probe or declare the port (in {{file}})', command: 'kubectl {{nsFlag}}exec {{workload}} -c {{container}} -- sh -c "netstat -tln || ss -tln"' }],
      },
      'no-readiness-probe': {
        title: 'No readiness probe on a Service-backed container',
        rootCause: 'Without a readiness probe a pod is an endpoint of {{service}} as soon as its process starts, so requests reach it before it can serve and during shutdown.',
        fix: [{ description: 'Add a readinessProbe (httpGet on the health path, or tcpSocket on the serving port) to container {{container}} (in {{file}})' }],
      },
      'liveness-equals-readiness': {
        title: 'Liveness identical to readiness',
        rootCause: 'When the app is slow or briefly overloaded the same check that takes it out of the Service also restarts it, turning a slow start or a load spike into a restart loop.',
        fix: [{ description: 'Add a startupProbe for the start, and make liveness more tolerant (higher failureThreshold) or a cheaper check than readiness (in {{file}})' }],
      },
      'health-check-path-differs': {
        title: 'Probe path differs from the load balancer health check',
        rootCause: 'The load balancer checks {{healthPath}} while Kubernetes checks {{probePath}}; the two disagree about health, so the load balancer can mark ready pods unhealthy (502) or keep routing to broken ones.',
        fix: [{ description: 'Use the same path in the readiness probe and the {{annotation}} annotation of Ingress {{ingress}}' }],
      },
    },
  },
  *detect(model) {
    for (const item of templateContainers(model)) {
      const { container } = item;
      // Most containers need no finding: the data for one is built only when it is.
      let data: { container: string; workload: string; declared: string; file: string; nsFlag: string } | undefined;
      const baseData = (): NonNullable<typeof data> => (data ??= {
        container: item.name,
        workload: ownerName(item.owner),
        declared: declaredPorts(container),
        file: model.locate(item.owner)?.file ?? 'the manifest',
        nsFlag: namespaceFlag(item.namespace),
      });
      for (const probeKind of probeKinds) {
        const probe = container[probeKind];
        if (!probe) continue;
        const target = probePort(probe);
        if (!target) continue;
        const ports = container.ports ?? [];
        const named = typeof target.port === 'string' && !/^\d+$/.test(target.port);
        if (named ? ports.some((p) => p.name === target.port) : ports.length === 0 || ports.some((p) => p.containerPort === Number(target.port))) continue;
        yield {
          subject: item.owner,
          path: [...item.path, probeKind, ...target.field],
          messageId: 'port',
          cause: named ? 'undeclared-port-name' : 'undeclared-port-number',
          // A probe on a second, undeclared listener (metrics, admin) works; a missing name never does.
          severity: named ? 'warning' : 'info',
          key: `${item.name}/${probeKind}`,
          data: { ...baseData(), probe: probeKind, port: String(target.port) },
          evidence: [`${probeKind}: port ${String(target.port)}`, `container ports: ${baseData().declared}`],
        };
      }
      const service = !container.readinessProbe && (container.ports ?? []).length > 0 && item.owner.kind !== 'Job' && item.owner.kind !== 'CronJob'
        ? servicesSelectingTemplate(model, item.template)[0]
        : undefined;
      if (service) {
        yield {
          subject: item.owner,
          path: item.path,
          messageId: 'noReadiness',
          cause: 'no-readiness-probe',
          key: `${item.name}/readiness`,
          data: { ...baseData(), service: service.metadata?.name ?? '' },
          evidence: [`Service ${service.metadata?.name ?? ''} selects ${Object.entries(service.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}`, 'readinessProbe: none'],
        };
      }
      if (container.livenessProbe && container.readinessProbe && !container.startupProbe && sameProbe(container.livenessProbe, container.readinessProbe)) {
        yield {
          subject: item.owner,
          path: [...item.path, 'livenessProbe'],
          messageId: 'identical',
          cause: 'liveness-equals-readiness',
          severity: 'info',
          key: `${item.name}/identical`,
          data: baseData(),
          evidence: [`livenessProbe = readinessProbe = ${JSON.stringify(container.readinessProbe)}`],
        };
      }
      const probePath = container.readinessProbe?.httpGet?.path;
      if (probePath !== undefined) {
        for (const { ingress, path } of healthCheckPaths(model, item)) {
          if (path === probePath) continue;
          const annotation = healthCheckAnnotations.find((a) => ingress.metadata?.annotations?.[a] !== undefined) ?? '';
          yield {
            subject: item.owner,
            path: [...item.path, 'readinessProbe', 'httpGet', 'path'],
            messageId: 'healthPath',
            cause: 'health-check-path-differs',
            key: `${item.name}/health-path/${ingress.metadata?.name ?? ''}`,
            data: { ...baseData(), probePath, healthPath: path, ingress: ingress.metadata?.name ?? '', annotation },
            evidence: [`readinessProbe.httpGet.path: ${probePath}`, `Ingress ${ingress.metadata?.name ?? ''}: ${annotation}: ${path}`],
          };
        }
      }
    }
  },
});
