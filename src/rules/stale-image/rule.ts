import { defineRule } from '../../engine/define-rule.js';
import { groupBy } from '../../model/collections.js';
import type { KubeObject, Pod, Workload } from '../../model/k8s.js';
import { listNames, podName } from '../support/pods.js';

const digestPattern = /sha256:[0-9a-f]{64}/;

/** The content digest a container actually runs, from its status' imageID. */
function runningDigest(imageID: string | undefined): string | undefined {
  return digestPattern.exec(imageID ?? '')?.[0];
}

const shortDigest = (digest: string): string => `${digest.slice(0, 19)}…`;

interface Running {
  readonly pod: Pod;
  readonly container: string;
  readonly image: string;
  readonly digest: string;
}

const none: readonly Running[] = [];

function runningImages(pod: Pod): readonly Running[] {
  if (pod.status?.phase !== 'Running') return none;
  let found: Running[] | undefined;
  for (const status of pod.status.containerStatuses ?? []) {
    if (!status.state?.running) continue;
    const digest = runningDigest(status.imageID);
    if (!digest) continue;
    const spec = (pod.spec?.containers ?? []).find((c) => c.name === status.name);
    const image = spec?.image ?? status.image ?? '';
    // An image pinned by digest cannot drift.
    if (image.includes('@sha256:')) continue;
    (found ??= []).push({ pod, container: status.name ?? '', image, digest });
  }
  return found ?? none;
}

export default defineRule({
  id: 'stale-image',
  meta: {
    title: 'Replicas run different builds',
    description: 'Pods of one workload run the same image tag with different digests, or StatefulSet/DaemonSet pods stay on an old template after an update.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster'],
  },
  messages: {
    drift: '{{image}} runs as {{count}} different builds across {{pods}}',
    oldTemplate: '{{stale}} of {{total}} pods still run revision {{oldRevision}} instead of {{updateRevision}}',
  },
  runbook: {
    symptoms: 'Some requests behave like the old version and some like the new; a fix "works on one pod"; bugs appear and disappear between refreshes.',
    rootCause: 'The replicas of {{kubectlName}} do not run the same code.',
    diagnosis: [
      { description: 'The image and digest each pod runs', command: 'kubectl -n {{namespace}} get pods -o custom-columns=POD:.metadata.name,NODE:.spec.nodeName,IMAGE:.status.containerStatuses[*].imageID' },
    ],
    fix: [],
    prevention: 'Deploy immutable tags (version or commit SHA) or digests; a rebuilt image gets a new tag, so a rollout is the only way new code reaches pods.',
    causes: {
      'digest-drift': {
        title: 'Same tag, different digests',
        rootCause: 'The tag {{image}} was pushed again after some pods pulled it; nodes that pulled later run the newer build, the others keep the old one (imagePullPolicy {{pullPolicy}}). The configuration side is reported by mutable-image-tag.',
        fix: [
          { description: 'Pin one build by digest so every replica runs it', command: 'kubectl -n {{namespace}} set image {{kubectlName}} {{container}}={{repository}}@{{newestDigest}}', mutates: true },
          { description: 'Or, with imagePullPolicy Always, restart so every pod pulls the tag again', command: 'kubectl -n {{namespace}} rollout restart {{kubectlName}}', mutates: true },
        ],
      },
      'old-template': {
        title: 'Pods left on an old template',
        rootCause: 'The workload\'s template changed but {{stale}} pod(s) were not replaced (updateStrategy {{strategy}}): they run the previous revision.',
        fix: [
          { description: 'Replace the pods that run the old revision', command: 'kubectl -n {{namespace}} delete pod {{stalePods}}', mutates: true },
          { description: 'Or let the controller replace them on the next change', command: 'kubectl -n {{namespace}} patch {{kubectlName}} -p \'{"spec":{"updateStrategy":{"type":"RollingUpdate"}}}\'', mutates: true },
        ],
      },
    },
  },
  *detect(model) {
    const byWorkload = new Map<KubeObject, Running[]>();
    for (const pod of model.list('Pod')) {
      // Only pods that report a running digest tell anything (about drift or an old template).
      const running = runningImages(pod);
      if (running.length === 0) continue;
      const workload = model.rootOwner(pod);
      if (workload === pod) continue;
      const entry = byWorkload.get(workload);
      if (entry) entry.push(...running);
      else byWorkload.set(workload, [...running]);
    }
    for (const [workload, running] of byWorkload) {
      yield* oldTemplate(workload, running.map((r) => r.pod));
      // The common case: every replica runs one build.
      const firstDigest = running[0]?.digest;
      if (running.every((r) => r.digest === firstDigest)) continue;
      const byImage = groupBy(running, (item) => `${item.container}\u0000${item.image}`);
      for (const items of byImage.values()) {
        const digests = [...new Set(items.map((i) => i.digest))];
        const first = items[0];
        if (!first || digests.length < 2) continue;
        // The build most recently started is the newest pull.
        const newest = [...items].sort((a, b) => startedAt(b).localeCompare(startedAt(a)))[0] ?? first;
        const spec = (first.pod.spec?.containers ?? []).find((c) => c.name === first.container);
        yield {
          subject: workload,
          messageId: 'drift',
          cause: 'digest-drift',
          key: first.container,
          data: {
            image: first.image,
            count: digests.length,
            pods: listNames(items.map((i) => podName(i.pod))),
            container: first.container,
            repository: first.image.replace(/:[^/:]+$/, ''),
            newestDigest: newest.digest,
            pullPolicy: spec?.imagePullPolicy ?? 'IfNotPresent',
          },
          evidence: items.map((i) => `pod ${podName(i.pod)} on ${i.pod.spec?.nodeName ?? 'unknown node'}: ${shortDigest(i.digest)} (started ${startedAt(i) || 'unknown'})`),
        };
      }
    }

    function* oldTemplate(workload: KubeObject, pods: readonly Pod[]) {
      if (workload.kind !== 'StatefulSet' && workload.kind !== 'DaemonSet') return;
      const status = (workload as Workload).status as { updateRevision?: string; currentRevision?: string } | undefined;
      const update = status?.updateRevision ?? revisionFromDaemonSet(workload, model.ownedBy(workload, 'ControllerRevision'));
      if (!update) return;
      const unique = [...new Set(pods)];
      const stale = unique.filter((pod) => {
        const hash = pod.metadata?.labels?.['controller-revision-hash'];
        return hash !== undefined && hash !== update;
      });
      // A rolling update in progress (or stuck: rollout-stuck) is not staleness; OnDelete or a halted partition is.
      const strategy = ((workload as Workload).spec as { updateStrategy?: { type?: string } } | undefined)?.updateStrategy?.type ?? 'RollingUpdate';
      if (stale.length === 0 || strategy !== 'OnDelete') return;
      yield {
        subject: workload,
        messageId: 'oldTemplate' as const,
        cause: 'old-template' as const,
        key: 'old-template',
        data: {
          stale: stale.length,
          total: unique.length,
          oldRevision: [...new Set(stale.map((p) => p.metadata?.labels?.['controller-revision-hash'] ?? ''))].join(', '),
          updateRevision: update,
          strategy,
          stalePods: stale.map(podName).join(' '),
        },
        evidence: [
          `updateStrategy: ${strategy}`,
          `update revision: ${update}`,
          ...stale.map((pod) => `pod ${podName(pod)}: controller-revision-hash ${pod.metadata?.labels?.['controller-revision-hash'] ?? ''}, image ${(pod.spec?.containers ?? []).map((c) => c.image ?? '').join(', ')}`),
          `template image: ${((workload as Workload).spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(', ')}`,
        ],
      };
    }
  },
});

function startedAt(item: Running): string {
  return (item.pod.status?.containerStatuses ?? []).find((s) => s.name === item.container)?.state?.running?.startedAt ?? '';
}

/** The newest ControllerRevision of a DaemonSet (its status carries no revision name). */
function revisionFromDaemonSet(workload: KubeObject, revisions: readonly KubeObject[]): string | undefined {
  if (workload.kind !== 'DaemonSet') return undefined;
  const newest = [...revisions].sort((a, b) => ((b as { revision?: number }).revision ?? 0) - ((a as { revision?: number }).revision ?? 0))[0];
  return newest?.metadata?.labels?.['controller-revision-hash'];
}
