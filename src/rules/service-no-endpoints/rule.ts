import { defineRule } from '../../engine/define-rule.js';
import type { Detection, FixStep } from '../../engine/types.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Pod, Service, Workload } from '../../model/k8s.js';
import { formatLabels } from '../../model/labels.js';
import { listNames, podName } from '../support/pods.js';
import { podHealth } from '../support/pod-health.js';
import { nearestBySelector, selectingServices, templatesSelectedBy } from './selection.js';
import type { NearMiss } from './selection.js';

/** Selector keys whose value changes with every release: better removed than updated. */
const volatileKey = /version|helm\.sh\/chart|pod-template-hash|controller-revision-hash/i;

function describeDifferences(misses: readonly NearMiss<unknown>[]): { wanted: string; actual: string } {
  const first = misses[0];
  if (!first) return { wanted: '', actual: '' };
  const wanted = first.differences.map((d) => `${d.key}=${d.wanted}`).join(', ');
  const actualValues = first.differences.map((d) => {
    const values = [...new Set(misses.map((m) => m.labels[d.key]).map((v) => (v === undefined ? `no ${d.key} label` : `${d.key}=${v}`)))];
    return values.join(' or ');
  });
  return { wanted, actual: actualValues.join(', ') };
}

function selectorPatch(service: Service, misses: readonly NearMiss<unknown>[]): FixStep | undefined {
  const first = misses[0];
  if (!first) return undefined;
  const changes: Record<string, string | null> = {};
  for (const difference of first.differences) {
    const actual = first.labels[difference.key];
    changes[difference.key] = actual === undefined || volatileKey.test(difference.key) ? null : actual;
  }
  const removes = Object.values(changes).some((v) => v === null);
  return {
    description: removes
      ? 'Take the differing labels out of the selector (version-like labels change with every release and do not belong in a selector) — and in the manifests, so the next apply does not bring them back'
      : 'Make the selector match the pods\' labels — and change the manifests too',
    command: `kubectl -n ${service.metadata?.namespace ?? ''} patch service ${service.metadata?.name ?? ''} -p '${JSON.stringify({ spec: { selector: changes } })}'`,
    mutates: true,
  };
}

function commonLabels(selector: Readonly<Record<string, string>>, miss: NearMiss<unknown> | undefined): string {
  if (!miss) return '';
  const different = new Set(miss.differences.map((d) => d.key));
  return formatLabels(Object.fromEntries(Object.entries(selector).filter(([key]) => !different.has(key))));
}

type Found = Detection<'mismatch' | 'noPods' | 'scaledToZero' | 'notReady', 'selector-mismatch' | 'no-pods' | 'scaled-to-zero' | 'pods-not-ready'>;

function checkPods(model: ClusterModel, service: Service): Found | undefined {
  const namespace = service.metadata?.namespace ?? '';
  const selector = service.spec?.selector ?? {};
  const pods = model.podsOfService(service).filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
  // The common case first: a ready pod behind the Service.
  if (pods.some((pod) => podHealth(pod).ready)) return undefined;
  const endpoints = model.endpointsOf(service);
  const base = { subject: service, data: { selector: formatLabels(selector) } };
  if (pods.length > 0) {
    if (endpoints.ready.length > 0) return undefined;
    const states = pods.map((pod) => `${podName(pod)} ${podHealth(pod).state}`);
    return {
      ...base,
      messageId: 'notReady',
      cause: 'pods-not-ready',
      data: { ...base.data, count: pods.length, states: listNames(states) },
      evidence: [
        endpoints.known ? `endpoints: 0 ready, ${endpoints.notReady.length} not ready` : 'no Endpoints object captured',
        ...states.map((s) => `pod ${s}`),
      ],
      causedBy: pods,
    };
  }
  const templates = templatesSelectedBy(model, service);
  const idle = templates.filter((t) => (t.owner as Workload).spec?.replicas === 0);
  if (idle.length > 0) {
    const owners = idle.map((t) => `${(t.owner.kind ?? '').toLowerCase()}/${t.owner.metadata?.name ?? ''}`);
    return {
      ...base, messageId: 'scaledToZero', cause: 'scaled-to-zero',
      data: { ...base.data, owners: owners.join(', '), owner: owners[0] ?? '' },
      evidence: owners.map((o) => `${o}: spec.replicas 0`),
    };
  }
  const misses = nearestBySelector(selector, model.list('Pod', namespace), (pod: Pod) => pod.metadata?.labels);
  return mismatch(model, service, misses.map((m) => ({ ...m, name: podName(m.item) })), 'pods', endpoints.known ? ['endpoints: none'] : []);
}

function checkTemplates(model: ClusterModel, service: Service): Found | undefined {
  if (templatesSelectedBy(model, service).length > 0) return undefined;
  const namespace = service.metadata?.namespace ?? '';
  const candidates = model.podTemplates().filter((t) => t.namespace === namespace || t.namespace === '' || namespace === '');
  const misses = nearestBySelector(service.spec?.selector ?? {}, candidates, (t) => t.template.metadata?.labels);
  if (misses.length === 0) return undefined;
  return mismatch(model, service, misses.map((m) => ({ ...m, name: `${(m.item.owner.kind ?? '').toLowerCase()}/${m.item.owner.metadata?.name ?? ''}` })), 'pod templates', []);
}

function mismatch(model: ClusterModel, service: Service, misses: readonly (NearMiss<unknown> & { name: string })[], things: string, extra: readonly string[]): Found {
  const selector = service.spec?.selector ?? {};
  const namespace = service.metadata?.namespace ?? '';
  const thing = things === 'pods' ? 'pod' : 'pod template';
  if (misses.length === 0) {
    return {
      subject: service, messageId: 'noPods', cause: 'no-pods',
      data: { selector: formatLabels(selector), thing },
      evidence: [...extra, `selector: ${formatLabels(selector)}`, `no ${thing} in ${namespace || 'the set'} carries any of these labels`],
      path: ['spec', 'selector'],
    };
  }
  const { wanted, actual } = describeDifferences(misses);
  const patch = model.source === 'manifests' ? undefined : selectorPatch(service, misses);
  const firstKey = misses[0]?.differences[0]?.key;
  return {
    subject: service,
    messageId: 'mismatch',
    cause: 'selector-mismatch',
    data: { wanted, actual, count: misses.length, things, common: commonLabels(selector, misses[0]), selector: formatLabels(selector) },
    evidence: [
      ...extra,
      `selector: ${formatLabels(selector)}`,
      ...misses.slice(0, 3).map((m) => `nearest ${thing} ${m.name}: ${m.differences.map((d) => `${d.key}=${d.actual ?? '(missing)'} where the selector wants ${d.wanted}`).join(', ')}`),
    ],
    ...(patch ? { fix: [patch] } : {}),
    path: firstKey === undefined ? ['spec', 'selector'] : ['spec', 'selector', firstKey],
  };
}

export default defineRule({
  id: 'service-no-endpoints',
  meta: {
    title: 'Service has no endpoints',
    description: 'A Service whose selector matches no pod (in manifests: no pod template of the set), or only pods that are not Ready.',
    category: 'networking',
    severity: 'critical',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    mismatch: 'selector {{wanted}} matches none of the {{count}} {{things}} with {{common}} (they carry {{actual}})',
    noPods: 'selector {{selector}} matches no {{thing}} in {{namespace}}',
    scaledToZero: 'selector {{selector}} matches {{owners}}, scaled to 0 replicas',
    notReady: 'none of the {{count}} selected pods is Ready: {{states}}',
  },
  runbook: {
    symptoms: 'Requests to the Service time out or get `connection refused`; an ingress returns 503 `no endpoints`; `kubectl get endpoints {{name}}` shows `<none>`.',
    rootCause: 'A Service forwards only to Ready pods its selector matches; {{name}} has none.',
    diagnosis: [
      { description: 'Endpoints of the Service', command: 'kubectl -n {{namespace}} get endpoints {{name}} -o wide' },
      { description: 'The selector', command: 'kubectl -n {{namespace}} get service {{name}} -o jsonpath=\'{.spec.selector}\'' },
      { description: 'Pods and their labels', command: 'kubectl -n {{namespace}} get pods --show-labels' },
    ],
    fix: [],
    prevention: 'Select on stable labels only (app.kubernetes.io/name, app.kubernetes.io/instance), never on versions or hashes; after each deploy check that every Service has ready endpoints.',
    causes: {
      'selector-mismatch': {
        title: 'Selector does not match the pods\' labels',
        rootCause: 'The selector asks for {{wanted}} but the {{things}} meant for {{name}} carry {{actual}}: a label changed on one side only (often a version label bumped in the workload but not in the Service, or the reverse).',
        fix: [
          { description: 'Make the Service selector and the pod template labels agree, selecting on stable labels only (app.kubernetes.io/name, app.kubernetes.io/instance)' },
        ],
      },
      'no-pods': {
        title: 'No pod carries the selector\'s labels',
        rootCause: 'No {{thing}} in {{namespace}} carries any of {{selector}}: the workload is missing, in another namespace, or labelled completely differently.',
        fix: [
          { description: 'Find the workload meant to back the Service', command: 'kubectl get deployments,statefulsets -A --show-labels' },
        ],
      },
      'scaled-to-zero': {
        title: 'Workload scaled to zero',
        rootCause: '{{owners}} matches the selector but runs 0 replicas.',
        fix: [{ description: 'Scale it up', command: 'kubectl -n {{namespace}} scale {{owner}} --replicas=1', mutates: true }],
      },
      'pods-not-ready': {
        title: 'Selected pods are not Ready',
        rootCause: 'The selector matches {{count}} pod(s) but none passes readiness, so the Service has no ready endpoint. The pods\' own findings (linked) say why.',
        fix: [{ description: 'Look at the pods\' state and events', command: 'kubectl -n {{namespace}} describe pods -l {{selector}}' }],
      },
    },
  },
  *detect(model) {
    for (const service of selectingServices(model)) {
      const detection = model.source === 'manifests' ? checkTemplates(model, service) : checkPods(model, service);
      if (detection) yield detection;
    }
  },
});
