import { defineRule } from '../../engine/define-rule.js';
import type { FixStep } from '../../engine/types.js';
import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import { cachedIn } from '../../model/collections.js';
import type { Condition, KubeObject } from '../../model/k8s.js';
import { kubectlName, refOf } from '../../model/object-ref.js';
import { eventEvidence, listNames, podName } from '../support/pods.js';
import { externalSecretFor, keysOf, sealedSecretFor, similarNames, templateReferences } from './references.js';
import type { ReferencedKind, TemplateReference } from './references.js';

type Cause = 'secret-missing' | 'configmap-missing' | 'key-missing' | 'service-account-missing' | 'pvc-missing' | 'external-secret-not-synced';

const missingCause: Readonly<Record<ReferencedKind, Cause>> = {
  Secret: 'secret-missing', ConfigMap: 'configmap-missing', ServiceAccount: 'service-account-missing', PersistentVolumeClaim: 'pvc-missing',
};

const resourceName: Readonly<Record<ReferencedKind, string>> = {
  Secret: 'secret', ConfigMap: 'configmap', ServiceAccount: 'serviceaccount', PersistentVolumeClaim: 'persistentvolumeclaim',
};

interface Problem {
  readonly cause: Cause;
  readonly refs: TemplateReference[];
  readonly external?: KubeObject;
}

/**
 * Whether the model can tell that an object is missing. Cluster state: the source read
 * objects of that kind in the namespace, or a pod reports the error. Manifests: only when
 * the set defines other objects of that kind in the namespace (the rest may be created
 * outside the set, by hand, Helm hooks or an operator).
 */
function canJudge(model: ClusterModel, kind: ReferencedKind, namespace: string, reportedByPods: boolean): boolean {
  return model.list(kind, namespace).length > 0 || (model.source === 'cluster' && reportedByPods);
}

/** A waiting container's or a Warning event's message about a template's pods, with its evidence line. */
interface Report {
  readonly message: string;
  /** The message in lower case, to look for a name in it. */
  readonly lower: string;
  readonly line: string;
}

const reportCache = new WeakMap<PodTemplateOwner, readonly Report[]>();

/** What the template's pods, its owner and their ReplicaSets/Jobs report: waiting messages and Warning events (once per template). */
function reportsOf(model: ClusterModel, template: PodTemplateOwner): readonly Report[] {
  return cachedIn(reportCache, template, () => collectReports(model, template));
}

function collectReports(model: ClusterModel, template: PodTemplateOwner): Report[] {
  const reports: Report[] = [];
  const pods = model.podsOf(template.owner);
  for (const pod of pods) {
    for (const statuses of [pod.status?.initContainerStatuses, pod.status?.containerStatuses]) {
      for (const status of statuses ?? []) {
        const waiting = status.state?.waiting;
        if (waiting?.message) reports.push({ message: waiting.message, lower: waiting.message.toLowerCase(), line: `${podName(pod)} ${status.name ?? ''} waiting in ${waiting.reason ?? ''}: ${waiting.message}` });
      }
    }
  }
  const warnings = (object: KubeObject): void => {
    for (const event of model.eventsFor(object)) {
      if (event.type === 'Warning' && event.message) reports.push({ message: event.message, lower: event.message.toLowerCase(), line: eventEvidence(event) });
    }
  };
  for (const pod of pods) warnings(pod);
  warnings(template.owner);
  for (const child of model.ownedBy(template.owner)) if (child.kind === 'ReplicaSet' || child.kind === 'Job') warnings(child);
  return reports;
}

const mentionsByNamespace = new WeakMap<ClusterModel, ReadonlyMap<string, ReadonlySet<string>>>();
const nameLike = /^[a-z0-9._-]+$/;

/**
 * The names each namespace's waiting messages and Warning event messages could be about:
 * their words (runs of name characters, lower case) and each word's prefixes up to a `-`
 * or `.` (`in Secret shop/db-creds` is about `db` for the pattern below). A name that is in
 * none of them cannot be reported about, and most templates are then done without looking
 * at their pods.
 */
function namespaceMentions(model: ClusterModel): ReadonlyMap<string, ReadonlySet<string>> {
  return cachedIn(mentionsByNamespace, model, collectMentions);
}

function collectMentions(model: ClusterModel): Map<string, Set<string>> {
  const byNamespace = new Map<string, Set<string>>();
  const add = (namespace: string, message: string): void => {
    let words = byNamespace.get(namespace);
    if (!words) byNamespace.set(namespace, (words = new Set<string>()));
    for (const word of message.toLowerCase().split(/[^a-z0-9._-]+/)) {
      if (word === '') continue;
      words.add(word);
      for (let i = 1; i < word.length; i++) {
        const c = word[i];
        if (c === '-' || c === '.') words.add(word.slice(0, i));
      }
    }
  };
  for (const pod of model.list('Pod')) {
    for (const statuses of [pod.status?.initContainerStatuses, pod.status?.containerStatuses]) {
      for (const status of statuses ?? []) {
        const message = status.state?.waiting?.message;
        if (message) add(pod.metadata?.namespace ?? '', message);
      }
    }
  }
  for (const event of model.list('Event')) {
    if (event.type !== 'Warning' || !event.message) continue;
    const target = event.involvedObject ?? event.regarding;
    add(target?.namespace ?? event.metadata?.namespace ?? '', event.message);
  }
  return byNamespace;
}

/** Messages pods and events give about a name: CreateContainerConfigError, FailedMount, FailedCreate. */
function reportsAbout(model: ClusterModel, template: PodTemplateOwner, kind: ReferencedKind, name: string): string[] {
  if (model.source !== 'cluster') return [];
  const lowerName = name.toLowerCase();
  if (nameLike.test(lowerName) && namespaceMentions(model).get(template.namespace)?.has(lowerName) !== true) return [];
  // Most templates report nothing, or nothing naming this object: the pattern is built only when something might match.
  const candidates = reportsOf(model, template).filter((r) => r.lower.includes(lowerName));
  if (candidates.length === 0) return [];
  const pattern = reportPattern(kind, name);
  return [...new Set(candidates.filter((r) => pattern.test(r.message)).map((r) => r.line))];
}

/**
 * What the kubelet and controllers write when an object is missing: `secret "smtp" not
 * found`, `couldn't find key LOG_LEVEL in ConfigMap shop/api-config`. The whole name only:
 * `in Secret shop/db-creds` is not about a Secret `db` (a sentence's final `.` may follow).
 */
export function reportPattern(kind: ReferencedKind, name: string): RegExp {
  return new RegExp(`${resourceName[kind]} "${escape(name)}" not found|in ${kind} [^/\\s]+/${escape(name)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'i');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function problemsOf(model: ClusterModel, template: PodTemplateOwner): { problem: Problem; reports: string[] }[] {
  const namespace = template.namespace;
  const groups = new Map<string, { problem: Problem; reports: string[] }>();
  for (const ref of templateReferences(model, template)) {
    const existing = model.get(ref.kind, namespace, ref.name);
    let cause: Cause | undefined;
    let external: KubeObject | undefined;
    let reports: string[] = [];
    if (existing) {
      if (ref.optional) continue;
      if (ref.key !== undefined && (ref.kind === 'Secret' || ref.kind === 'ConfigMap') && !keysOf(existing).has(ref.key)) {
        cause = 'key-missing';
        reports = reportsAbout(model, template, ref.kind, ref.name);
      }
    } else {
      external = ref.kind === 'Secret' ? externalSecretFor(model, namespace, ref.name) : undefined;
      // An optional reference is only a problem when something is meant to create the object.
      if (ref.optional && !(external && model.source === 'cluster')) continue;
      // A Secret the set creates another way is not missing before deploy.
      if (model.source === 'manifests' && (external || (ref.kind === 'Secret' && sealedSecretFor(model, namespace, ref.name)))) continue;
      reports = reportsAbout(model, template, ref.kind, ref.name);
      if (external || canJudge(model, ref.kind, namespace, reports.length > 0)) cause = external ? 'external-secret-not-synced' : missingCause[ref.kind];
    }
    if (!cause) continue;
    const id = `${ref.kind}/${ref.name}${cause === 'key-missing' ? `/${ref.key ?? ''}` : ''}`;
    const group = groups.get(id);
    if (group) group.problem.refs.push(ref);
    else groups.set(id, { problem: { cause, refs: [ref], ...(external ? { external } : {}) }, reports });
  }
  return [...groups.values()];
}

function conditionLine(object: KubeObject): string | undefined {
  const conditions = (object.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (!ready) return undefined;
  return `${object.kind ?? ''} ${object.metadata?.name ?? ''}: Ready=${ready.status ?? '?'}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}`;
}

function createCommand(kind: ReferencedKind, namespace: string, name: string, keys: readonly string[]): string {
  const literals = keys.map((k) => ` --from-literal=${k}=<value>`).join('');
  switch (kind) {
    case 'Secret': return `kubectl -n ${namespace} create secret generic ${name}${literals || ' --from-literal=<key>=<value>'}`;
    case 'ConfigMap': return `kubectl -n ${namespace} create configmap ${name}${literals || ' --from-file=<path>'}`;
    case 'ServiceAccount': return `kubectl -n ${namespace} create serviceaccount ${name}`;
    case 'PersistentVolumeClaim': return `kubectl -n ${namespace} get pvc`;
  }
}

export default defineRule({
  id: 'missing-config-reference',
  meta: {
    title: 'Pod references something that does not exist',
    description: 'A pod template needs a Secret, ConfigMap, key, ServiceAccount or PersistentVolumeClaim that does not exist in its namespace (CreateContainerConfigError, FailedMount, FailedCreate).',
    category: 'pods',
    severity: 'critical',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    missing: '{{workload}} needs {{refKind}} {{refName}}, which does not exist in {{namespaceText}}',
    keyMissing: '{{workload}} needs key {{key}} of {{refKind}} {{refName}}, which has no such key',
  },
  runbook: {
    symptoms: 'Pods stay in CreateContainerConfigError or ContainerCreating (FailedMount), or the ReplicaSet cannot create pods at all (FailedCreate: serviceaccount not found); `kubectl get pods` shows 0/1 and no restarts.',
    rootCause: 'The kubelet cannot build the container\'s environment or volumes because an object the pod spec names is missing.',
    diagnosis: [
      { description: 'See the exact error', command: 'kubectl -n {{namespace}} describe pod -l {{selector}}' },
      { description: 'List what exists in the namespace', command: 'kubectl -n {{namespace}} get secrets,configmaps,serviceaccounts,pvc' },
    ],
    fix: [{ description: 'Create the missing object or correct the reference, then the pods start on their own' }],
    prevention: 'Deploy Secrets and ConfigMaps with (or before) the workloads that use them, run `kubetriage lint` on the rendered manifests in CI, and mark truly optional references `optional: true`.',
    causes: {
      'secret-missing': {
        title: 'Secret missing',
        rootCause: 'Secret {{refName}} does not exist in {{namespaceText}}; {{needers}} cannot start without it.{{similarNote}}',
        fix: [{ description: 'Create the Secret with the keys the pods read (values from your secret store)', command: '{{createCommand}}', mutates: true }],
      },
      'configmap-missing': {
        title: 'ConfigMap missing',
        rootCause: 'ConfigMap {{refName}} does not exist in {{namespaceText}}; {{needers}} cannot start without it.{{similarNote}}',
        fix: [{ description: 'Create the ConfigMap (or apply the manifest that defines it)', command: '{{createCommand}}', mutates: true }],
      },
      'key-missing': {
        title: 'Key missing in a Secret or ConfigMap',
        rootCause: '{{refKind}} {{refName}} exists but has no key {{key}} (it has: {{existingKeys}}); {{needers}} cannot start.',
        fix: [
          { description: 'See the keys it has (names and sizes only)', command: 'kubectl -n {{namespace}} describe {{resource}} {{refName}}' },
          { description: 'Add the key, or correct the key name in the workload', command: 'kubectl -n {{namespace}} patch {{resource}} {{refName}} -p \'{"{{dataField}}":{"{{key}}":"<value>"}}\'', mutates: true },
        ],
      },
      'service-account-missing': {
        title: 'ServiceAccount missing',
        rootCause: 'ServiceAccount {{refName}} does not exist in {{namespaceText}}: the ReplicaSet cannot create pods at all (FailedCreate).',
        fix: [{ description: 'Create the ServiceAccount (with its workload-identity annotations, if any)', command: '{{createCommand}}', mutates: true }],
      },
      'pvc-missing': {
        title: 'PersistentVolumeClaim missing',
        rootCause: 'PersistentVolumeClaim {{refName}} does not exist in {{namespaceText}}; pods that mount it stay Pending.{{similarNote}}',
        fix: [{ description: 'Create the claim (or fix claimName); list the claims that exist', command: '{{createCommand}}', mutates: true }],
      },
      'external-secret-not-synced': {
        title: 'The ExternalSecret that makes the Secret has not synced',
        rootCause: 'Secret {{refName}} is produced by ExternalSecret {{externalSecret}}, which has not created it (see its own finding); {{needers}} cannot start until it syncs.',
        fix: [
          { description: 'See why the ExternalSecret does not sync', command: 'kubectl -n {{namespace}} describe externalsecret {{externalSecret}}' },
          { description: 'After fixing the store or the remote key, force a sync', command: 'kubectl -n {{namespace}} annotate externalsecret {{externalSecret}} force-sync=$(date +%s) --overwrite', mutates: true },
        ],
      },
    },
  },
  *detect(model) {
    for (const template of model.podTemplates()) {
      for (const { problem, reports } of problemsOf(model, template)) {
        const ref = problem.refs[0];
        if (!ref) continue;
        const namespace = template.namespace;
        const keys = [...new Set(problem.refs.map((r) => r.key).filter((k): k is string => k !== undefined))];
        const existing = model.get(ref.kind, namespace, ref.name);
        const similar = existing ? [] : similarNames(ref.name, model.list(ref.kind, namespace).map((o) => o.metadata?.name ?? ''));
        const needers = listNames([...new Set(problem.refs.map((r) => (r.container ? `container ${r.container} (${r.via}${r.key ? ` ${r.key}` : ''})` : r.via)))]);
        const selector = Object.entries(template.template.metadata?.labels ?? {}).filter(([k]) => k !== 'pod-template-hash').map(([k, v]) => `${k}=${v}`).join(',');
        const similarKeys = existing && ref.key !== undefined ? similarNames(ref.key, [...keysOf(existing)]).concat([...keysOf(existing)].filter((k) => k !== ref.key && k.toLowerCase() === ref.key?.toLowerCase())) : [];
        const fix: FixStep[] = [
          ...(similar.length ? [{ description: `A ${ref.kind} with a similar name exists (${similar.join(', ')}): correct the reference if that is the one meant`, mutates: false }] : []),
          ...(similarKeys.length ? [{ description: `${ref.kind} ${ref.name} has a similar key (${[...new Set(similarKeys)].join(', ')}): correct the key name in the workload if that is the one meant`, mutates: false }] : []),
        ];
        const externalLine = problem.external ? conditionLine(problem.external) : undefined;
        yield {
          subject: template.owner,
          path: ref.path,
          messageId: problem.cause === 'key-missing' ? 'keyMissing' : 'missing',
          cause: problem.cause,
          key: `${ref.kind}/${ref.name}${problem.cause === 'key-missing' ? `/${ref.key ?? ''}` : ''}`,
          data: {
            workload: kubectlName(refOf(template.owner)),
            refKind: ref.kind,
            refName: ref.name,
            key: ref.key ?? '',
            namespaceText: namespace ? `namespace ${namespace}` : 'the namespace',
            needers,
            similarNote: similar.length ? ` Similar names exist: ${similar.join(', ')}.` : '',
            createCommand: createCommand(ref.kind, namespace || '<namespace>', ref.name, keys),
            existingKeys: existing ? [...keysOf(existing)].sort().join(', ') || 'no keys' : '',
            resource: resourceName[ref.kind],
            dataField: ref.kind === 'Secret' ? 'stringData' : 'data',
            externalSecret: problem.external?.metadata?.name ?? '',
            selector: selector || '<selector>',
          },
          evidence: [
            ...problem.refs.slice(0, 4).map((r) => `${r.container ? `container ${r.container} ` : ''}${r.via}: ${r.kind} ${r.name}${r.key ? ` key ${r.key}` : ''}${r.optional ? ' (optional: the container starts without it)' : ''}`),
            ...reports.slice(0, 3),
            ...(existing ? [`${ref.kind} ${ref.name} has keys: ${[...keysOf(existing)].sort().join(', ') || 'none'}`] : []),
            ...(problem.external ? [`Secret ${ref.name} is produced by ExternalSecret ${problem.external.metadata?.name ?? ''}`] : []),
            ...(externalLine ? [externalLine] : []),
          ],
          ...(fix.length ? { fix } : {}),
          ...(problem.external ? { causedBy: [problem.external] } : {}),
        };
      }
    }
  },
});
