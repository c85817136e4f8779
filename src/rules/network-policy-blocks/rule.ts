import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import type { KubeObject, LabelSelector, Service } from '../../model/k8s.js';
import { selectorMatches } from '../../model/labels.js';
import { namespaceFlag, ownerName, templatesSelectedBy } from '../support/template-containers.js';

type Cause = 'deny-all' | 'ingress-controller-blocked' | 'port-not-allowed';

interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr?: string };
}

interface IngressRule {
  readonly from?: readonly PolicyPeer[];
  readonly ports?: readonly { readonly port?: number | string; readonly protocol?: string; readonly endPort?: number }[];
}

interface NetworkPolicy extends KubeObject {
  readonly spec?: {
    readonly podSelector?: LabelSelector;
    readonly policyTypes?: readonly string[];
    readonly ingress?: readonly IngressRule[];
  };
}

/** Whether a policy restricts incoming traffic (policyTypes defaults to Ingress). */
function restrictsIngress(policy: NetworkPolicy): boolean {
  const types = policy.spec?.policyTypes;
  return types === undefined || types.includes('Ingress');
}

/** Whether a rule lets in traffic from other namespaces (where the ingress controller runs). */
function admitsOtherNamespaces(rule: IngressRule): boolean {
  if (rule.from === undefined || rule.from.length === 0) return true;
  return rule.from.some((peer) => peer.namespaceSelector !== undefined || peer.ipBlock !== undefined);
}

/** Whether a rule's ports include the container port a Service targets (number or name). */
function admitsPort(rule: IngressRule, port: { readonly number?: number; readonly name?: string }): boolean {
  if (rule.ports === undefined || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === port.name || Number(p.port) === port.number;
    if (port.number === undefined) return false;
    return p.endPort === undefined ? p.port === port.number : port.number >= p.port && port.number <= p.endPort;
  });
}

/** The container ports a Service sends to, resolved against a template's named ports. */
function targetPorts(service: Service, template: PodTemplateOwner): { number?: number; name?: string }[] {
  const declared = (template.template.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  return (service.spec?.ports ?? []).map((p) => {
    const target = p.targetPort ?? p.port;
    if (typeof target === 'string' && !/^\d+$/.test(target)) {
      const named = declared.find((d) => d.name === target);
      return { name: target, ...(named?.containerPort === undefined ? {} : { number: named.containerPort }) };
    }
    const number = Number(target);
    const named = declared.find((d) => d.containerPort === number);
    return { number, ...(named?.name ? { name: named.name } : {}) };
  });
}

function routedByIngress(model: ClusterModel, service: Service): boolean {
  const namespace = service.metadata?.namespace ?? '';
  const name = service.metadata?.name;
  return model.list('Ingress', namespace).some((ingress) =>
    ingress.spec?.defaultBackend?.service?.name === name ||
    (ingress.spec?.rules ?? []).some((r) => (r.http?.paths ?? []).some((p) => p.backend?.service?.name === name)));
}

export default defineRule<'blocked', Cause>({
  id: 'network-policy-blocks',
  meta: {
    title: 'NetworkPolicy blocks required traffic',
    description: 'A NetworkPolicy isolates pods that a Service or an ingress controller must reach, and no policy rule lets that traffic in.',
    category: 'networking',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    blocked: 'NetworkPolicy {{name}} isolates the pods of {{workload}} behind Service {{service}}, and {{problem}}',
  },
  runbook: {
    symptoms: 'Requests time out (no connection refused, just silence); the Service has ready endpoints but the ingress answers 504; it works with `kubectl port-forward` but not through the Service.',
    rootCause: 'Once any NetworkPolicy selects a pod for Ingress, only traffic some policy allows reaches it.',
    diagnosis: [
      { description: 'Policies that select the pods', command: 'kubectl {{nsFlag}}get networkpolicy -o wide' },
      { description: 'What the policy allows', command: 'kubectl {{nsFlag}}describe networkpolicy {{name}}' },
    ],
    fix: [{ description: 'Add an ingress rule that admits the traffic (in {{file}})' }],
    prevention: 'Ship an allow policy with every default-deny: from the ingress controller\'s namespace to the web pods, from the app to its database, each on the named port.',
    causes: {
      'deny-all': {
        title: 'No rule lets any traffic in',
        rootCause: 'The policies selecting {{workload}} ({{policies}}) have no ingress rules, so every connection to Service {{service}} is dropped.',
        fix: [{ description: 'Allow the clients of {{service}} on port {{port}}', command: 'kubectl {{nsFlag}}apply -f - <<\'EOF\'\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-{{service}}}\nspec:\n  podSelector: {matchLabels: {{selector}}}\n  policyTypes: [Ingress]\n  ingress:\n    - ports: [{port: {{port}}}]\nEOF', mutates: true }],
      },
      'ingress-controller-blocked': {
        title: 'Ingress controller not allowed in',
        rootCause: 'Ingress routes to Service {{service}}, but the policies selecting its pods only admit pods of the same namespace; the ingress controller runs in another namespace and its requests are dropped (504).',
        fix: [{ description: 'Admit the controller\'s namespace, e.g. from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}] (in {{file}})' }],
      },
      'port-not-allowed': {
        title: 'The Service\'s port is not allowed',
        rootCause: 'The policies admit traffic to {{workload}} only on {{allowed}}, but Service {{service}} sends to port {{port}}.',
        fix: [{ description: 'Add port {{port}} to the ingress rule\'s ports (in {{file}})' }],
      },
    },
  },
  *detect(model) {
    const policies = (model.list('NetworkPolicy') as readonly NetworkPolicy[]).filter(restrictsIngress);
    if (policies.length === 0) return;
    for (const service of model.list('Service')) {
      const selector = service.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const namespace = service.metadata?.namespace ?? '';
      const templates = templatesSelectedBy(model, { matchLabels: selector }, namespace);
      for (const template of templates) {
        const selecting = policies.filter((p) => (p.metadata?.namespace ?? '') === namespace && selectorMatches(p.spec?.podSelector ?? {}, template.template.metadata?.labels));
        if (selecting.length === 0) continue;
        const rules = selecting.flatMap((p) => (p.spec?.ingress ?? []).map((rule, index) => ({ policy: p, rule, index })));
        const ports = targetPorts(service, template);
        const firstPort = ports[0];
        const portLabel = firstPort?.name !== undefined && firstPort.number !== undefined ? `${firstPort.name} (${firstPort.number})` : firstPort?.name ?? String(firstPort?.number ?? '');
        const subject = selecting.find((p) => (p.spec?.ingress ?? []).length > 0) ?? selecting[0];
        if (!subject) continue;
        const data = {
          workload: ownerName(template.owner),
          service: service.metadata?.name ?? '',
          policies: selecting.map((p) => p.metadata?.name ?? '').join(', '),
          port: portLabel,
          selector: JSON.stringify(selector),
          file: model.locate(subject)?.file ?? 'the manifest',
          nsFlag: namespaceFlag(namespace),
        };
        const evidence = selecting.map((p) => `NetworkPolicy ${p.metadata?.name ?? ''}: ${(p.spec?.ingress ?? []).length} ingress rule(s)`);
        const key = `${service.metadata?.name ?? ''}/${template.owner.metadata?.name ?? ''}`;
        if (rules.length === 0) {
          yield { subject, path: ['spec', 'podSelector'], messageId: 'blocked', cause: 'deny-all', key, data: { ...data, problem: 'no policy rule lets any traffic in' }, evidence };
          continue;
        }
        const portRules = rules.filter(({ rule }) => ports.some((port) => admitsPort(rule, port)));
        if (portRules.length === 0) {
          const allowed = [...new Set(rules.flatMap(({ rule }) => (rule.ports ?? []).map((p) => String(p.port ?? 'any'))))].join(', ');
          const first = rules[0];
          yield {
            subject: first?.policy ?? subject,
            path: ['spec', 'ingress', first?.index ?? 0, 'ports'],
            messageId: 'blocked',
            cause: 'port-not-allowed',
            key,
            data: { ...data, allowed, problem: `its rules allow only port(s) ${allowed}, not ${portLabel}` },
            evidence,
          };
          continue;
        }
        if (routedByIngress(model, service) && !portRules.some(({ rule }) => admitsOtherNamespaces(rule))) {
          const first = portRules[0];
          yield {
            subject: first?.policy ?? subject,
            path: ['spec', 'ingress', first?.index ?? 0, 'from'],
            messageId: 'blocked',
            cause: 'ingress-controller-blocked',
            key,
            data: { ...data, problem: 'an Ingress routes to it, but only pods of the same namespace are allowed in' },
            evidence: [...evidence, 'from: podSelector only (no namespaceSelector or ipBlock)'],
          };
        }
      }
    }
  },
});
