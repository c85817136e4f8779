import type { Finding, ScanResult } from '../engine/types.js';
import { ClusterError, UsageError } from '../errors.js';
import type { KubeObject } from '../model/k8s.js';
import { keyOf } from '../model/object-ref.js';
import { reporters } from '../report/index.js';
import { analyze, summarize } from '../scan.js';
import { readLive } from '../sources/live.js';
import { ApiError } from '../sources/live/api-client.js';
import type { ApiClient, WatchEvent } from '../sources/live/api-client.js';
import { podActivity, rolloutStatus } from '../sources/live/rollout-status.js';
import type { RolloutKind } from '../sources/live/rollout-status.js';
import { Redactor } from '../sources/redact.js';
import type { CliIo } from './io.js';

const kindAliases: Readonly<Record<string, RolloutKind>> = {
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet',
  daemonset: 'DaemonSet', daemonsets: 'DaemonSet', ds: 'DaemonSet',
};
const resources: Readonly<Record<RolloutKind, string>> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

export interface RolloutTarget {
  readonly kind: RolloutKind;
  readonly name: string;
}

export function parseRolloutTarget(text: string): RolloutTarget {
  const [kindText, name, extra] = text.split('/');
  const kind = kindAliases[(kindText ?? '').toLowerCase()];
  if (!kind || !name || extra !== undefined) {
    throw new UsageError(`"${text}": expected KIND/NAME where KIND is deployment, statefulset or daemonset (e.g. deployment/api)`);
  }
  return { kind, name };
}

/** "90s", "5m", "1h30m", or plain seconds. */
export function parseDuration(text: string, flag: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new UsageError(`${flag} "${text}": expected a duration like 90s, 5m or 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((total, p) => total + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

export interface RolloutOptions {
  readonly client: ApiClient;
  readonly namespace: string;
  readonly target: RolloutTarget;
  readonly timeoutMs: number;
  /** No progress for this long counts as a stall. */
  readonly stallMs: number;
  readonly pageSize: number;
  readonly io: CliIo;
}

/**
 * Waits for a rollout through watch streams on the workload and its pods, printing what the
 * new pods do. On a stall or timeout it scans the namespace with every rule and prints the
 * findings about the rollout's new pods, and the rollback command. 0 on success, 1 otherwise.
 */
export async function rolloutCommand(options: RolloutOptions): Promise<number> {
  const { client, namespace, target, io } = options;
  const out = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  const base = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${resources[target.kind]}`;
  let workload = await getWorkload(client, base, options);
  const selector = selectorOf(workload);
  const pods = new Map<string, KubeObject>();
  const printed = new Map<string, string>();
  let newPod: (pod: KubeObject) => boolean = () => true;
  let newPodSet = '';

  const refreshNewPods = async (): Promise<void> => {
    newPod = await newPodPredicate(client, namespace, target.kind, workload, selector);
  };
  const showPods = (): void => {
    for (const pod of [...pods.values()].filter((p) => newPod(p)).sort(byName)) {
      const name = pod.metadata?.name ?? '';
      const activity = podActivity(pod);
      if (printed.get(name) !== activity) out(`  pod ${name}: ${activity}`);
      printed.set(name, activity);
    }
  };

  await refreshNewPods();
  let status = rolloutStatus(target.kind, workload);
  out(`Waiting for ${target.kind.toLowerCase()}/${target.name} in namespace ${namespace}: ${status.message}`);
  let lastKey = status.progressKey;
  let lastMessage = status.message;
  let lastProgressAt = Date.now();
  const deadline = Date.now() + options.timeoutMs;

  const controller = new AbortController();
  let settle: (outcome: 'done' | 'failed' | 'stalled' | 'timeout') => void = () => undefined;
  const outcome = new Promise<'done' | 'failed' | 'stalled' | 'timeout'>((resolve) => (settle = resolve));

  const evaluate = (): void => {
    status = rolloutStatus(target.kind, workload);
    if (status.progressKey !== lastKey) {
      lastKey = status.progressKey;
      lastProgressAt = Date.now();
    }
    if (status.message !== lastMessage) {
      out(status.message);
      lastMessage = status.message;
    }
    showPods();
    if (status.done) settle('done');
    else if (status.failed) settle('failed');
  };

  const podPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  const podList = (await client.getJson(podPath, { labelSelector: selector })) as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
  for (const pod of podList.items ?? []) if (pod.metadata?.name) pods.set(pod.metadata.name, pod);
  const podSetKey = (): string => [...pods.values()].filter((p) => newPod(p)).map((p) => p.metadata?.name).sort().join(',');
  newPodSet = podSetKey();
  evaluate();

  const watches = [
    keepWatching(client, base, { fieldSelector: `metadata.name=${target.name}` }, workload.metadata?.resourceVersion, controller.signal, (event) => {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') {
        const previousRevision = revisionOf(workload);
        workload = event.object;
        const refresh = revisionOf(workload) !== previousRevision ? refreshNewPods() : Promise.resolve();
        void refresh.then(evaluate, () => undefined);
      } else if (event.type === 'DELETED') {
        out(`${target.kind.toLowerCase()}/${target.name} was deleted`);
        settle('failed');
      }
    }),
    keepWatching(client, podPath, { labelSelector: selector }, podList.metadata?.resourceVersion, controller.signal, (event) => {
      const pod = event.object as KubeObject;
      const name = pod.metadata?.name;
      if (!name) return;
      if (event.type === 'DELETED') pods.delete(name);
      else if (event.type === 'ADDED' || event.type === 'MODIFIED') pods.set(name, pod);
      else return;
      const set = podSetKey();
      if (set !== newPodSet) {
        newPodSet = set;
        lastProgressAt = Date.now();
      }
      showPods();
    }),
  ];
  const timer = setInterval(() => {
    if (Date.now() >= deadline) settle('timeout');
    else if (Date.now() - lastProgressAt >= options.stallMs) settle('stalled');
  }, 200);

  const result = await outcome;
  clearInterval(timer);
  controller.abort();
  await Promise.allSettled(watches);

  if (result === 'done') {
    out(`${target.kind.toLowerCase()}/${target.name} ${status.message}`);
    return 0;
  }
  const why = result === 'failed' ? status.message
    : result === 'stalled' ? `no progress for ${Math.round(options.stallMs / 1000)}s (${status.message})`
    : `timed out after ${Math.round(options.timeoutMs / 1000)}s (${status.message})`;
  out(`\nRollout of ${target.kind.toLowerCase()}/${target.name} ${result === 'timeout' ? 'did not finish' : 'is stuck'}: ${why}\n`);
  await printDiagnosis(options, workload, [...pods.values()].filter((p) => newPod(p)));
  out(`\nTo roll back to the previous revision (changes the cluster):\n  kubectl rollout undo ${target.kind.toLowerCase()}/${target.name} -n ${namespace}`);
  return 1;
}

async function getWorkload(client: ApiClient, base: string, options: RolloutOptions): Promise<KubeObject> {
  try {
    return (await client.getJson(`${base}/${encodeURIComponent(options.target.name)}`)) as KubeObject;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new ClusterError(`${options.target.kind.toLowerCase()}/${options.target.name} not found in namespace ${options.namespace}`);
    }
    if (error instanceof ApiError) throw new ClusterError(`cannot read ${options.target.kind.toLowerCase()}/${options.target.name}: ${error.describe()}`);
    throw error;
  }
}

/** Re-opens a watch whenever the server ends it (watches time out) until aborted. */
async function keepWatching(
  client: ApiClient,
  path: string,
  query: Readonly<Record<string, string>>,
  resourceVersion: string | undefined,
  signal: AbortSignal,
  onEvent: (event: WatchEvent) => void,
): Promise<void> {
  let version = resourceVersion;
  const stopped = (): boolean => signal.aborted;
  while (!stopped()) {
    try {
      await client.watch(path, { ...query, resourceVersion: version, timeoutSeconds: 300 }, (event) => {
        const rv = (event.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
        if (rv) version = rv;
        if (event.type === 'ERROR') {
          version = undefined; // 410 Gone: start again from the current state
          return;
        }
        onEvent(event);
      }, signal);
    } catch (error) {
      if (stopped()) return;
      if (!(error instanceof ApiError)) throw error;
      version = undefined;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function selectorOf(workload: KubeObject): string {
  const labels = (workload.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

function revisionOf(workload: KubeObject): string {
  const status = workload.status as { updateRevision?: string } | undefined;
  return `${workload.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? ''}|${status?.updateRevision ?? ''}|${workload.metadata?.generation ?? ''}`;
}

/** Which pods belong to the new revision: the new ReplicaSet's, the update revision's, the current generation's. */
async function newPodPredicate(client: ApiClient, namespace: string, kind: RolloutKind, workload: KubeObject, selector: string): Promise<(pod: KubeObject) => boolean> {
  const label = (pod: KubeObject, key: string): string | undefined => pod.metadata?.labels?.[key];
  if (kind === 'StatefulSet') {
    const revision = (workload.status as { updateRevision?: string } | undefined)?.updateRevision;
    return (pod) => revision === undefined || label(pod, 'controller-revision-hash') === revision;
  }
  if (kind === 'DaemonSet') {
    const generation = String(workload.metadata?.generation ?? '');
    return (pod) => label(pod, 'pod-template-generation') === undefined || label(pod, 'pod-template-generation') === generation;
  }
  const revision = workload.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const list = (await client.getJson(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`, { labelSelector: selector })) as { items?: KubeObject[] };
  const newSet = (list.items ?? []).find((rs) =>
    rs.metadata?.ownerReferences?.some((owner) => owner.uid === workload.metadata?.uid) === true
    && rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision);
  const hash = newSet?.metadata?.labels?.['pod-template-hash'];
  return (pod) => hash === undefined || label(pod, 'pod-template-hash') === hash;
}

async function printDiagnosis(options: RolloutOptions, workload: KubeObject, newPods: readonly KubeObject[]): Promise<void> {
  const { client, namespace, io } = options;
  const state = await readLive({ client, redactor: new Redactor(), namespace, pageSize: options.pageSize });
  const now = new Date();
  const result = analyze(state, { source: { type: 'live', name: client.contextName }, modelSource: 'cluster', now, namespace });
  const subjects = new Set([keyOf({ kind: workload.kind, namespace, name: workload.metadata?.name })]);
  for (const pod of newPods) {
    subjects.add(keyOf({ kind: 'Pod', namespace, name: pod.metadata?.name }));
    for (const owner of pod.metadata?.ownerReferences ?? []) subjects.add(keyOf({ kind: owner.kind, namespace, name: owner.name }));
  }
  const related = relatedFindings(result.findings, subjects);
  if (related.length === 0) {
    io.stdout.write('No rule explains the stall from the cluster state. The new pods:\n');
    for (const pod of newPods) io.stdout.write(`  ${pod.metadata?.name ?? ''}: ${podActivity(pod)}\n`);
    for (const note of result.notes) io.stdout.write(`note: ${note}\n`);
    return;
  }
  const subset: ScanResult = { ...result, findings: related, summary: summarize(related, result.summary.objects) };
  io.stdout.write(reporters.text(subset, {}));
}

/** The findings about the rollout's objects and, transitively, the findings that cause them. */
function relatedFindings(findings: readonly Finding[], subjects: ReadonlySet<string>): Finding[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const keep = new Set(findings.filter((f) => subjects.has(keyOf(f.object))).map((f) => f.id));
  const queue = [...keep];
  while (queue.length > 0) {
    const finding = byId.get(queue.pop() ?? '');
    for (const cause of finding?.causedBy ?? []) {
      if (!keep.has(cause)) {
        keep.add(cause);
        queue.push(cause);
      }
    }
  }
  return findings.filter((f) => keep.has(f.id));
}

function byName(a: KubeObject, b: KubeObject): number {
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}
