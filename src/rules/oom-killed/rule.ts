import { defineRule } from '../../engine/define-rule.js';
import { matchLog } from '../../logs/index.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject, Pod } from '../../model/k8s.js';
import { formatMemory, parseQuantity } from '../../model/quantity.js';
import { devServerInContainer } from '../support/dev-server.js';
import { containerStatuses, groupByWorkload, listNames, podName, someStatus, workloadName } from '../support/pods.js';
import type { ContainerInPod } from '../support/pods.js';
import { containerSpec, isOomKill, lastTermination } from '../support/terminations.js';

type Cause = 'dev-server' | 'no-limit' | 'gradual-growth' | 'limit-too-low';

/** A container that ran this long before being killed was growing, not starting. */
const longRun = 60 * 60 * 1000;

interface OomKill extends ContainerInPod {
  readonly container: string;
  readonly limit?: number;
  readonly request?: number;
  /** How long the killed instance ran (ms), when known. */
  readonly ranFor?: number;
  readonly devServer?: string;
}

function usageOf(model: ClusterModel, pod: Pod, container: string): number | undefined {
  const metrics = model.get('PodMetrics', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const containers = (metrics as (KubeObject & { containers?: { name?: string; usage?: { memory?: string } }[] }) | undefined)?.containers;
  return parseQuantity(containers?.find((c) => c.name === container)?.usage?.memory);
}

function killsOf(model: ClusterModel, pod: Pod): OomKill[] {
  // A kill leaves a terminated state (the last one, or the current one).
  if (!someStatus(pod, (s) => lastTermination(s) !== undefined)) return [];
  const kills: OomKill[] = [];
  for (const entry of containerStatuses(pod)) {
    if (!isOomKill(model, pod, entry.status)) continue;
    const container = entry.status.name ?? '';
    const spec = containerSpec(pod.spec, container);
    const terminated = lastTermination(entry.status);
    const ranFor = Date.parse(terminated?.finishedAt ?? '') - Date.parse(terminated?.startedAt ?? '');
    const limit = parseQuantity(spec?.resources?.limits?.memory);
    const request = parseQuantity(spec?.resources?.requests?.memory);
    const log = model.crashLogOf(pod, container);
    const banner = log === undefined ? undefined : matchLog(log).find((m) => m.signature.id === 'dev-server-banner');
    const devServer = (spec ? devServerInContainer(spec)?.tool : undefined) ?? banner?.detail;
    kills.push({
      ...entry, container,
      ...(limit === undefined ? {} : { limit }),
      ...(request === undefined ? {} : { request }),
      ...(Number.isFinite(ranFor) ? { ranFor } : {}),
      ...(devServer === undefined ? {} : { devServer }),
    });
  }
  return kills;
}

/** Tells the causes apart: a dev server, no limit (the node ran out), slow growth, or a limit below the working set. */
export function classifyOom(kill: Pick<OomKill, 'limit' | 'ranFor' | 'devServer'>): Cause {
  if (kill.devServer !== undefined) return 'dev-server';
  if (kill.limit === undefined) return 'no-limit';
  if (kill.ranFor !== undefined && kill.ranFor >= longRun) return 'gradual-growth';
  return 'limit-too-low';
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${String(Math.max(minutes, 0))}m`;
  return `${String(Math.floor(minutes / 60))}h${String(minutes % 60).padStart(2, '0')}m`;
}

export default defineRule({
  id: 'oom-killed',
  meta: {
    title: 'Container killed for using too much memory',
    description: 'A container\'s last termination was OOMKilled (exit code 137 at its memory limit).',
    category: 'pods',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    oom: '{{container}} was OOM-killed in {{pods}} ({{restarts}} restarts; memory limit {{limit}}, request {{request}})',
  },
  runbook: {
    symptoms: 'Pods restart with `OOMKilled` and exit code 137 in `kubectl describe pod`; requests fail or reconnect while the container restarts.',
    rootCause: 'The container used more memory than its limit and the kernel killed it.',
    diagnosis: [
      { description: 'See the last termination and the limits', command: 'kubectl -n {{namespace}} describe pod {{pod}}' },
      { description: 'Watch the memory use (needs metrics-server)', command: 'kubectl -n {{namespace}} top pod {{pod}} --containers' },
      { description: 'Read what the container did before it was killed', command: 'kubectl -n {{namespace}} logs {{pod}} -c {{container}} --previous' },
    ],
    fix: [{ description: 'Raise the memory limit to what the workload needs', command: 'kubectl -n {{namespace}} set resources {{workload}} -c {{container}} --limits=memory={{suggestedLimit}} --requests=memory={{suggestedLimit}}', mutates: true }],
    prevention: 'Set memory requests and limits from observed peak use (e.g. VPA in recommendation mode), size language runtimes\' heaps to the limit, and alert on restarts with reason OOMKilled.',
    causes: {
      'dev-server': {
        title: 'A development server needs far more memory',
        rootCause: '{{container}} runs a development server ({{devServer}}): it keeps the source graph, watchers and hot-reload state in memory and grows until the {{limit}} limit kills it. Raising the limit only delays the next kill; see the dev-server-in-production finding.',
        fix: [
          { description: 'Build the app in the image and serve the build (nginx for static frontends); the production server needs a fraction of the memory', command: 'kubectl -n {{namespace}} set image {{workload}} {{container}}=<registry>/<repository>:<production-tag>', mutates: true },
          { description: 'Meanwhile, stop the kills by raising the limit', command: 'kubectl -n {{namespace}} set resources {{workload}} -c {{container}} --limits=memory={{suggestedLimit}}', mutates: true },
        ],
      },
      'no-limit': {
        title: 'No memory limit: the node ran out',
        rootCause: '{{container}} has no memory limit; it was killed when its node ran out of memory, so any pod on that node could be next.',
        fix: [
          { description: 'Check the node\'s memory pressure', command: 'kubectl describe node {{node}}' },
          { description: 'Give the container a request and a limit from its observed use', command: 'kubectl -n {{namespace}} set resources {{workload}} -c {{container}} --requests=memory=<observed> --limits=memory=<peak>', mutates: true },
        ],
      },
      'gradual-growth': {
        title: 'Memory grows until the limit (leak or unbounded cache)',
        rootCause: '{{container}} ran {{ranFor}} before reaching its {{limit}} limit: memory grows steadily (a leak, an unbounded cache or queue), so a larger limit only postpones the kill.',
        fix: [
          { description: 'Watch the growth between restarts', command: 'kubectl -n {{namespace}} top pod {{pod}} --containers' },
          { description: 'Take a heap profile before the limit (e.g. Node --heapsnapshot-near-heap-limit, JVM -XX:+HeapDumpOnOutOfMemoryError) and bound caches; raise the limit meanwhile', command: 'kubectl -n {{namespace}} set resources {{workload}} -c {{container}} --limits=memory={{suggestedLimit}}', mutates: true },
        ],
      },
      'limit-too-low': {
        title: 'Limit below the working set',
        rootCause: '{{container}} is killed {{ranFor}} after starting: its {{limit}} limit is below what it needs to run (start-up peaks, caches, runtime heap defaults).',
        fix: [
          { description: 'Raise the limit (and the request, so the scheduler reserves it)', command: 'kubectl -n {{namespace}} set resources {{workload}} -c {{container}} --limits=memory={{suggestedLimit}} --requests=memory={{suggestedLimit}}', mutates: true },
          { description: 'For JVM/Node.js, size the heap to the limit (-XX:MaxRAMPercentage=75, --max-old-space-size) so the runtime collects before the kernel kills it' },
        ],
      },
    },
  },
  *detect(model) {
    const kills = model.list('Pod').flatMap((pod) => killsOf(model, pod));
    for (const group of groupByWorkload(model, kills, (k) => k.container)) {
      const first = group.items[0];
      if (!first) continue;
      const pod = first.pod;
      const cause = classifyOom(first);
      const restarts = group.items.map((k) => k.status.restartCount ?? 0);
      const usage = usageOf(model, pod, first.container);
      const terminated = lastTermination(first.status);
      const limitText = first.limit === undefined ? 'none' : formatMemory(first.limit);
      yield {
        subject: group.workload,
        messageId: 'oom',
        cause,
        key: first.container,
        data: {
          container: first.container,
          pods: listNames(group.items.map((k) => podName(k.pod))),
          pod: podName(pod),
          restarts: Math.max(...restarts),
          limit: limitText,
          request: first.request === undefined ? 'none' : formatMemory(first.request),
          suggestedLimit: first.limit === undefined ? '<peak>' : formatMemory(first.limit * 2),
          workload: workloadName(model, pod),
          devServer: first.devServer ?? '',
          ranFor: first.ranFor === undefined ? 'a while' : duration(first.ranFor),
          node: pod.spec?.nodeName ?? '<node>',
        },
        evidence: [
          `${group.items.length} pod(s) OOM-killed: ${listNames(group.items.map((k, i) => `${podName(k.pod)} (${String(restarts[i] ?? 0)} restarts)`))}`,
          `last termination: exit code ${String(terminated?.exitCode ?? 137)} (${terminated?.reason ?? 'OOMKilled'})${terminated?.finishedAt ? ` at ${terminated.finishedAt}` : ''}${first.ranFor === undefined ? '' : `, after running ${duration(first.ranFor)}`}`,
          `memory limit ${limitText}, request ${first.request === undefined ? 'none' : formatMemory(first.request)}${usage === undefined ? '' : `, current use ${formatMemory(usage)}`}`,
          ...(first.devServer ? [`runs a development server: ${first.devServer}`] : []),
        ],
      };
    }
  },
});
