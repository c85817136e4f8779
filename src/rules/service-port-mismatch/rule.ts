import { defineRule } from '../../engine/define-rule.js';
import type { FixStep, FixTemplate } from '../../engine/types.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Container, ContainerPort, KubeObject, Service, ServicePort } from '../../model/k8s.js';
import { selectingServices, templatesSelectedBy } from '../service-no-endpoints/selection.js';

interface Backend {
  /** `deployment/frontend`, `pod/debug` */
  readonly owner: string;
  readonly containers: readonly Container[];
}

/** What the Service's selector picks: the running pods (one per owner), else the pod templates. */
function backendsOf(model: ClusterModel, service: Service): Backend[] {
  const backends = new Map<string, Backend>();
  if (model.source === 'cluster') {
    const seen = new Set<KubeObject>();
    for (const pod of model.podsOfService(service)) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const owner = model.rootOwner(pod);
      if (seen.has(owner)) continue;
      seen.add(owner);
      const name = `${(owner.kind ?? '').toLowerCase()}/${owner.metadata?.name ?? ''}`;
      if (!backends.has(name)) backends.set(name, { owner: name, containers: pod.spec?.containers ?? [] });
    }
  }
  if (backends.size === 0) {
    for (const t of templatesSelectedBy(model, service)) {
      if (t.owner.kind === 'ReplicaSet' && model.ownerOf(t.owner)) continue;
      const name = `${(t.owner.kind ?? '').toLowerCase()}/${t.owner.metadata?.name ?? ''}`;
      backends.set(name, { owner: name, containers: t.template.spec?.containers ?? [] });
    }
  }
  return [...backends.values()];
}

const formatPort = (port: ContainerPort): string => `${port.containerPort ?? ''}/${port.protocol ?? 'TCP'}${port.name ? ` (${port.name})` : ''}`;

/** The container port the Service most likely meant: same name as the Service port, else the only one declared. */
function likelyPort(servicePort: ServicePort, declared: readonly ContainerPort[]): ContainerPort | undefined {
  return declared.find((p) => p.name !== undefined && p.name === servicePort.name) ?? (declared.length === 1 ? declared[0] : undefined);
}

const portFix: FixTemplate = {
  description: 'Check which port the application really listens on, declare it as a named containerPort, and point targetPort at that name',
  command: 'kubectl -n {{namespace}} exec {{backend}} -- netstat -tlnp',
};

export default defineRule({
  id: 'service-port-mismatch',
  meta: {
    title: 'Service targetPort not exposed by its pods',
    description: 'A Service port\'s targetPort (number or name) is not a port any selected container declares.',
    category: 'networking',
    severity: 'critical',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    mismatch: 'port {{port}} targets {{target}}, which no selected container declares ({{declared}})',
  },
  runbook: {
    symptoms: 'The Service has endpoints but connections are refused or time out; an ingress returns 502/503; `kubectl port-forward svc/{{name}}` fails while port-forwarding to the pod on its real port works.',
    rootCause: 'Traffic to {{name}} port {{port}} is sent to {{target}} on the pods, where nothing listens.',
    diagnosis: [
      { description: 'The Service\'s ports', command: 'kubectl -n {{namespace}} get service {{name}} -o jsonpath=\'{range .spec.ports[*]}{.name} {.port} -> {.targetPort}{"\\n"}{end}\'' },
      { description: 'The endpoints and the port they route to', command: 'kubectl -n {{namespace}} get endpoints {{name}} -o yaml' },
      { description: 'The ports the containers declare', command: 'kubectl -n {{namespace}} get {{backend}} -o jsonpath=\'{.spec.template.spec.containers[*].ports}\'' },
    ],
    fix: [],
    prevention: 'Name container ports (`name: http`) and point targetPort at the name, so a port change in the image is made in one place; test each Service with a port-forward or a smoke test after deploy.',
    causes: {
      'number-not-exposed': {
        title: 'Numeric targetPort not declared by the containers',
        rootCause: 'targetPort {{target}} is not among the ports the selected containers declare ({{declared}}): the application listens elsewhere (e.g. a dev server on 5173 behind a Service expecting 80).',
        fix: [portFix],
      },
      'named-port-missing': {
        title: 'Named targetPort not found',
        rootCause: 'targetPort {{target}} names a port no selected container declares ({{declared}}); the endpoints controller cannot resolve it, so the Service sends traffic nowhere.',
        fix: [portFix],
      },
    },
  },
  *detect(model) {
    for (const service of selectingServices(model)) {
      const backends = backendsOf(model, service);
      if (backends.length === 0) continue;
      const namespace = service.metadata?.namespace ?? '';
      const name = service.metadata?.name ?? '';
      const ports = service.spec?.ports ?? [];
      for (const [index, servicePort] of ports.entries()) {
        const target = servicePort.targetPort ?? servicePort.port;
        if (target === undefined) continue;
        const named = typeof target === 'string' && !/^\d+$/.test(target);
        const matches = (p: ContainerPort): boolean => (named ? p.name === target : p.containerPort === Number(target));
        // The common case first: some backend declares the port.
        if (backends.some((b) => b.containers.some((c) => (c.ports ?? []).some(matches)))) continue;
        const declaredBy = backends.map((b) => ({ backend: b, ports: b.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ container: c.name ?? '', port: p }))) }));
        // A numeric targetPort works without a declaration; only judge containers that declare ports.
        if (!named && declaredBy.some((d) => d.ports.length === 0)) continue;
        const allDeclared = declaredBy.flatMap((d) => d.ports.map((p) => p.port));
        const declared = allDeclared.length ? [...new Set(allDeclared.map(formatPort))].join(', ') : 'no ports';
        const suggestion = likelyPort(servicePort, allDeclared);
        const value = suggestion?.containerPort;
        const portLabel = `${servicePort.port ?? ''}/${servicePort.protocol ?? 'TCP'}${servicePort.name ? ` (${servicePort.name})` : ''}`;
        const fix: FixStep[] = [];
        if (value !== undefined) {
          fix.push(model.source === 'manifests'
            ? { description: `Set targetPort of port ${portLabel} to ${value}${suggestion?.name ? ` (or to the name "${suggestion.name}")` : ''} in the Service manifest`, mutates: false }
            : {
                description: `Point port ${portLabel} at the port the container declares (${suggestion ? formatPort(suggestion) : value}) — and change the manifest too`,
                command: `kubectl -n ${namespace} patch service ${name} --type=json -p '[{"op":"replace","path":"/spec/ports/${index}/targetPort","value":${value}}]'`,
                mutates: true,
              });
        }
        const endpointPorts = model.source === 'cluster' ? endpointEvidence(model, service) : [];
        yield {
          subject: service,
          messageId: 'mismatch',
          cause: named ? 'named-port-missing' : 'number-not-exposed',
          key: servicePort.name ?? String(index),
          path: ['spec', 'ports', index, 'targetPort'],
          data: { port: portLabel, target: named ? `"${target}"` : target, declared, backend: backends[0]?.owner ?? '' },
          evidence: [
            `service port ${portLabel} → targetPort ${target}`,
            ...declaredBy.map((d) => `${d.backend.owner}: ${d.ports.length ? d.ports.map((p) => `container ${p.container} declares ${formatPort(p.port)}`).join(', ') : 'declares no ports'}`),
            ...endpointPorts,
          ],
          fix,
        };
      }
    }
  },
});

function endpointEvidence(model: ClusterModel, service: Service): string[] {
  const endpoints = model.get('Endpoints', service.metadata?.namespace, service.metadata?.name ?? '');
  const ports = (endpoints?.subsets ?? []).flatMap((s) => (s.ports ?? []).map((p) => `${p.port ?? ''}/${p.protocol ?? 'TCP'}`));
  const ready = (endpoints?.subsets ?? []).flatMap((s) => s.addresses ?? []).length;
  return ports.length ? [`endpoints send traffic to port ${[...new Set(ports)].join(', ')} on ${ready} ready pod(s)`] : [];
}
