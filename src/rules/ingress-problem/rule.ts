import { defineRule } from '../../engine/define-rule.js';
import type { Condition, Ingress, IngressBackend, KubeObject } from '../../model/k8s.js';
import type { FieldPath } from '../../model/source-location.js';
import { namespaceFlag } from '../support/template-containers.js';

type Cause = 'no-class' | 'class-not-found' | 'service-not-found' | 'port-not-found' | 'tls-secret-missing' | 'certificate-not-ready' | 'no-address';

interface Certificate extends KubeObject {
  readonly spec?: { readonly secretName?: string; readonly dnsNames?: readonly string[] };
  readonly status?: { readonly conditions?: readonly Condition[] };
}

const classAnnotation = 'kubernetes.io/ingress.class';
const certManagerAnnotations = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];
/** An ingress without an address this long after creation is not being served. */
const addressGraceMs = 10 * 60 * 1000;

interface BackendAt {
  readonly backend: IngressBackend;
  readonly path: FieldPath;
  readonly route: string;
}

function backends(ingress: Ingress): BackendAt[] {
  const result: BackendAt[] = [];
  if (ingress.spec?.defaultBackend) result.push({ backend: ingress.spec.defaultBackend, path: ['spec', 'defaultBackend'], route: 'default backend' });
  (ingress.spec?.rules ?? []).forEach((rule, ri) => {
    (rule.http?.paths ?? []).forEach((p, pi) => {
      if (p.backend) result.push({ backend: p.backend, path: ['spec', 'rules', ri, 'http', 'paths', pi, 'backend', 'service'], route: `${rule.host ?? '*'}${p.path ?? '/'}` });
    });
  });
  return result;
}

export default defineRule<'problem', Cause>({
  id: 'ingress-problem',
  meta: {
    title: 'Ingress cannot serve',
    description: 'An Ingress has no class or controller, routes to a Service or port that does not exist, names a TLS secret that is missing or a cert-manager Certificate that is not Ready, or has no load-balancer address.',
    category: 'networking',
    severity: 'critical',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    problem: 'Ingress {{name}}: {{problem}}',
  },
  runbook: {
    symptoms: 'The host answers 404 from the default backend, 503 Service Temporarily Unavailable, a certificate warning (the controller\'s fake certificate), or does not resolve at all.',
    rootCause: 'The controller cannot turn the Ingress into a working route.',
    diagnosis: [
      { description: 'The Ingress, its address and its events', command: 'kubectl {{nsFlag}}describe ingress {{name}}' },
      { description: 'Ingress classes and controllers', command: 'kubectl get ingressclass' },
    ],
    fix: [{ description: 'Fix the Ingress so every reference resolves (in {{file}})' }],
    prevention: 'Set spec.ingressClassName, refer to Service ports by name, and let cert-manager own TLS secrets through an issuer annotation.',
    causes: {
      'no-class': {
        title: 'No ingress class',
        rootCause: 'The Ingress names no class (spec.ingressClassName or the kubernetes.io/ingress.class annotation) and no IngressClass is marked default, so no controller picks it up.',
        fix: [{ description: 'Set the class of your controller', command: 'kubectl {{nsFlag}}patch ingress {{name}} --type=merge -p \'{"spec":{"ingressClassName":"nginx"}}\'', mutates: true }],
      },
      'class-not-found': {
        title: 'Ingress class does not exist',
        rootCause: 'The Ingress asks for class {{className}}, but no such IngressClass exists (installed: {{classes}}), so no controller serves it.',
        fix: [{ description: 'Use an installed class', command: 'kubectl {{nsFlag}}patch ingress {{name}} --type=merge -p \'{"spec":{"ingressClassName":"{{firstClass}}"}}\'', mutates: true }],
      },
      'service-not-found': {
        title: 'Backend Service does not exist',
        rootCause: 'The route {{route}} goes to Service {{service}}, which does not exist in namespace {{namespace}}; the controller answers 503.',
        fix: [{ description: 'Point the backend at an existing Service (Services: {{services}})', command: 'kubectl {{nsFlag}}get services' }],
      },
      'port-not-found': {
        title: 'Backend port is not a port of the Service',
        rootCause: 'The route {{route}} uses port {{port}} of Service {{service}}, which exposes {{servicePorts}}.',
        fix: [{ description: 'Use one of the Service\'s ports (by name preferably) in the backend (in {{file}})' }],
      },
      'tls-secret-missing': {
        title: 'TLS secret missing',
        rootCause: 'spec.tls names Secret {{secret}}, which does not exist and no cert-manager issuer or Certificate creates it; the controller serves its self-signed default certificate.',
        fix: [
          { description: 'Let cert-manager issue it', command: 'kubectl {{nsFlag}}annotate ingress {{name}} cert-manager.io/cluster-issuer=letsencrypt', mutates: true },
          { description: 'Or create it from your certificate', command: 'kubectl {{nsFlag}}create secret tls {{secret}} --cert=tls.crt --key=tls.key', mutates: true },
        ],
      },
      'certificate-not-ready': {
        title: 'cert-manager Certificate not Ready',
        rootCause: 'Certificate {{certificate}} that writes {{secret}} is not Ready: {{reason}}.',
        fix: [
          { description: 'Follow the issuance chain to the failing step', command: 'kubectl {{nsFlag}}describe certificate {{certificate}} && kubectl {{nsFlag}}get certificaterequest,order,challenge' },
        ],
      },
      'no-address': {
        title: 'No load-balancer address',
        rootCause: 'The Ingress has no address after {{age}}: its controller is not running, does not watch this class, or its load balancer Service is Pending.',
        fix: [{ description: 'Check the controller and its Service', command: 'kubectl get pods,svc -A -l app.kubernetes.io/component=controller' }],
      },
    },
  },
  *detect(model, context) {
    const classes = model.list('IngressClass');
    const hasDefaultClass = classes.some((c) => c.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
    const onCluster = model.source === 'cluster';
    for (const ingress of model.list('Ingress')) {
      const namespace = ingress.metadata?.namespace ?? '';
      const base = { file: model.locate(ingress)?.file ?? 'the manifest', nsFlag: namespaceFlag(namespace), namespace: namespace || 'default' };
      const problems: { cause: Cause; path: FieldPath; problem: string; data?: Record<string, string>; evidence: string[]; key?: string; severity?: 'warning' }[] = [];
      const className = ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.[classAnnotation];
      if (className === undefined) {
        // Before deploy the cluster may well have a default class; there it is worth a warning, not more.
        if (!hasDefaultClass && (onCluster || classes.length === 0)) {
          problems.push({ cause: 'no-class', path: ['spec'], problem: 'no ingress class and no default IngressClass', evidence: ['spec.ingressClassName: (unset)'], ...(onCluster ? {} : { severity: 'warning' as const }) });
        }
      } else if (classes.length > 0 && !classes.some((c) => c.metadata?.name === className)) {
        const names = classes.map((c) => c.metadata?.name ?? '');
        problems.push({ cause: 'class-not-found', path: ingress.spec?.ingressClassName ? ['spec', 'ingressClassName'] : ['metadata', 'annotations', classAnnotation], problem: `ingress class ${className} does not exist`, data: { className, classes: names.join(', '), firstClass: names[0] ?? 'nginx' }, evidence: [`ingress class: ${className}`, `IngressClasses: ${names.join(', ')}`] });
      }

      const services = model.list('Service', namespace);
      // Manifests often deploy Services from another set; only judge when this set has Services in the namespace.
      const knowsServices = onCluster || services.length > 0;
      for (const { backend, path, route } of backends(ingress)) {
        const serviceName = backend.service?.name;
        if (!serviceName || !knowsServices) continue;
        const service = model.get('Service', namespace, serviceName);
        if (!service) {
          problems.push({ cause: 'service-not-found', path: [...path, 'name'], key: `service/${serviceName}`, problem: `route ${route} goes to Service ${serviceName}, which does not exist`, data: { service: serviceName, route, services: services.map((s) => s.metadata?.name ?? '').join(', ') || 'none' }, evidence: [`backend: ${serviceName}`] });
          continue;
        }
        const port = backend.service.port;
        const ports = service.spec?.ports ?? [];
        if (port && ports.length > 0 && !ports.some((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number))) {
          const wanted = port.name ?? String(port.number ?? '');
          const servicePorts = ports.map((p) => (p.name ? `${p.name}=${p.port ?? '?'}` : String(p.port ?? '?'))).join(', ');
          problems.push({ cause: 'port-not-found', path: [...path, 'port'], key: `port/${serviceName}/${wanted}`, problem: `route ${route} uses port ${wanted} of Service ${serviceName}, which exposes ${servicePorts}`, data: { service: serviceName, route, port: wanted, servicePorts }, evidence: [`backend port: ${wanted}`, `Service ${serviceName} ports: ${servicePorts}`] });
        }
      }

      const certManaged = certManagerAnnotations.some((a) => ingress.metadata?.annotations?.[a] !== undefined);
      const certificates = model.list('Certificate', namespace) as readonly Certificate[];
      const secretsInNamespace = model.list('Secret', namespace);
      (ingress.spec?.tls ?? []).forEach((tls, ti) => {
        const secretName = tls.secretName;
        if (!secretName) return;
        const certificate = certificates.find((c) => c.spec?.secretName === secretName);
        if (certificate) {
          const ready = certificate.status?.conditions?.find((c) => c.type === 'Ready');
          if (onCluster && ready && ready.status !== 'True') {
            const reason = `${ready.reason ?? 'NotReady'}: ${ready.message ?? ''}`.trim();
            problems.push({ cause: 'certificate-not-ready', path: ['spec', 'tls', ti, 'secretName'], key: `cert/${secretName}`, problem: `Certificate ${certificate.metadata?.name ?? ''} for ${secretName} is not Ready (${ready.reason ?? 'NotReady'})`, data: { certificate: certificate.metadata?.name ?? '', secret: secretName, reason }, evidence: [`Certificate ${certificate.metadata?.name ?? ''} Ready=${ready.status ?? '?'}: ${reason}`] });
          }
          return;
        }
        if (certManaged || model.get('Secret', namespace, secretName)) return;
        // Secrets are usually created outside git: before deploy, only a set that defines Secrets of the namespace can tell.
        if (!onCluster && secretsInNamespace.length === 0) return;
        if (onCluster && model.list('Secret').length === 0) return; // Secrets not readable in this snapshot
        problems.push({ cause: 'tls-secret-missing', path: ['spec', 'tls', ti, 'secretName'], key: `tls/${secretName}`, problem: `TLS secret ${secretName} does not exist`, data: { secret: secretName }, evidence: [`spec.tls[${ti}].secretName: ${secretName}`, `hosts: ${(tls.hosts ?? []).join(', ')}`] });
      });

      if (onCluster && (ingress.status?.loadBalancer?.ingress ?? []).length === 0) {
        const created = Date.parse(ingress.metadata?.creationTimestamp ?? '');
        const age = context.now.getTime() - created;
        if (Number.isFinite(age) && age > addressGraceMs) {
          problems.push({ cause: 'no-address', path: ['status'], problem: `no load-balancer address after ${Math.round(age / 60000)} minutes`, data: { age: `${Math.round(age / 60000)} minutes` }, evidence: ['status.loadBalancer.ingress: (empty)'] });
        }
      }

      for (const p of problems) {
        yield {
          subject: ingress,
          path: p.path,
          messageId: 'problem',
          cause: p.cause,
          key: p.key ?? p.cause,
          ...(p.severity ? { severity: p.severity } : {}),
          data: { ...base, problem: p.problem, ...p.data },
          evidence: p.evidence,
        };
      }
    }
  },
});
