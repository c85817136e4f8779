import { pushTo } from '../../model/collections.js';
import type { ClusterModel, NodeAllocation } from '../../model/cluster-model.js';
import { podRequests } from '../../model/cluster-model.js';
import type { Container, KubeObject, Pod, Service, Workload } from '../../model/k8s.js';
import { objectKey } from '../../model/object-ref.js';
import { podHealth } from '../support/pod-health.js';

export type Resource = 'cpu' | 'memory';

/** Why a pod holding a reservation is a candidate to give it back. */
export type HoldReason = 'failing' | 'superseded' | 'duplicate' | 'dependent' | 'running';

export interface Holder {
  readonly pod: Pod;
  readonly workload: KubeObject;
  readonly amount: number;
  readonly reason: HoldReason;
  /** A copy of an application in another namespace than the pending pod's (whatever its reason). */
  readonly duplicate: boolean;
  /** `CrashLoopBackOff (2113 restarts)`, `old ReplicaSet of revision 5`, `copy of shop/postgres`. */
  readonly note: string;
}

const holdOrder: readonly HoldReason[] = ['failing', 'superseded', 'duplicate', 'dependent', 'running'];

function revisionOf(object: KubeObject): number | undefined {
  const value = object.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  return value === undefined ? undefined : Number(value);
}

/** A pod of a ReplicaSet that is not its Deployment's current revision. */
function supersededRevision(model: ClusterModel, pod: Pod): number | undefined {
  const replicaSet = model.ownerOf(pod);
  if (replicaSet?.kind !== 'ReplicaSet') return undefined;
  const deployment = model.ownerOf(replicaSet);
  if (deployment?.kind !== 'Deployment') return undefined;
  const own = revisionOf(replicaSet);
  const current = revisionOf(deployment);
  return own !== undefined && current !== undefined && own < current ? own : undefined;
}

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet']);

const repositoryOf = (image: string | undefined): string => (image ?? '').replace(/[:@].*$/, '');

/**
 * Workloads by kind+name and by kind+image repository, to find the same application in
 * another namespace without scanning every workload for every pod.
 */
export class WorkloadCopies {
  readonly #byName = new Map<string, KubeObject[]>();
  readonly #byRepository = new Map<string, KubeObject[]>();

  constructor(model: ClusterModel) {
    for (const kind of workloadKinds) {
      for (const workload of model.list(kind)) {
        pushTo(this.#byName, `${kind}/${workload.metadata?.name ?? ''}`, workload);
        for (const repository of new Set(templateContainers(workload).map((c) => repositoryOf(c.image)))) {
          pushTo(this.#byRepository, `${kind}/${repository}`, workload);
        }
      }
    }
  }

  /** The same application in another namespace: same kind and name, or same kind running the same image repository. */
  copyOf(workload: KubeObject): KubeObject | undefined {
    const kind = workload.kind ?? '';
    if (!workloadKinds.has(kind)) return undefined;
    const namespace = workload.metadata?.namespace ?? '';
    const elsewhere = (candidates: readonly KubeObject[] | undefined): KubeObject | undefined =>
      candidates?.find((other) => (other.metadata?.namespace ?? '') !== namespace);
    return elsewhere(this.#byName.get(`${kind}/${workload.metadata?.name ?? ''}`))
      ?? templateContainers(workload).map((c) => elsewhere(this.#byRepository.get(`${kind}/${repositoryOf(c.image)}`))).find((w) => w !== undefined);
  }
}

function templateContainers(workload: KubeObject): readonly Container[] {
  return (workload as Workload).spec?.template?.spec?.containers ?? [];
}


/**
 * A pod that starts and then fails (crash loop, restarts): the kind of failure a missing
 * dependency causes. Pull and config errors happen before the app runs, so they are not.
 */
function crashes(pod: Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff' || (s.restartCount ?? 0) >= 3);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Whether a pod's configuration or crash log names one of the Services (it waits for the pending pod). */
function dependsOn(model: ClusterModel, pod: Pod, services: readonly Service[]): boolean {
  if (services.length === 0) return false;
  const texts = (pod.spec?.containers ?? []).flatMap((c) => [
    ...(c.env ?? []).map((e) => e.value ?? ''),
    ...(c.args ?? []),
    model.crashLogOf(pod, c.name ?? '') ?? '',
  ]);
  return services.some((service) => {
    const name = service.metadata?.name ?? '';
    const namespace = service.metadata?.namespace ?? '';
    // From another namespace the host must name the namespace: `postgres.shop`, `postgres.shop.svc…`.
    const namespacePart = (pod.metadata?.namespace ?? '') === namespace ? `(\\.${escape(namespace)})?` : `\\.${escape(namespace)}`;
    const host = new RegExp(`(^|[/@\\s"'=])${escape(name)}${namespacePart}(\\.svc(\\.cluster\\.local)?)?(:\\d+|[/\\s"']|$)`, 'm');
    return texts.some((text) => host.test(text));
  });
}

/**
 * The pods holding a resource on a node, those most likely to give it back first:
 * failing pods, pods of an old ReplicaSet, copies of an application in a namespace
 * other than the pending pod's. Crashing pods that use the pending pod's Service (they
 * likely crash because of it) are named but not blamed: that would turn the chain around.
 */
export function holdersOn(model: ClusterModel, copies: WorkloadCopies, allocation: NodeAllocation, resource: Resource, pending: Pod): Holder[] {
  const pendingWorkload = model.rootOwner(pending);
  const pendingServices = model.servicesSelecting(pending);
  const holders: Holder[] = [];
  for (const pod of allocation.pods) {
    const amount = podRequests(pod.spec?.containers, pod.spec?.initContainers)[resource];
    if (amount <= 0) continue;
    const workload = model.rootOwner(pod);
    const health = podHealth(pod);
    const oldRevision = supersededRevision(model, pod);
    const copy = copies.copyOf(workload);
    const duplicate = copy !== undefined && objectKey(workload) !== objectKey(pendingWorkload) && (pod.metadata?.namespace ?? '') !== (pending.metadata?.namespace ?? '');
    let reason: HoldReason = 'running';
    let note = health.state;
    if (health.failing && crashes(pod) && dependsOn(model, pod, pendingServices)) {
      reason = 'dependent';
      note = `${health.state}; may be waiting for ${pendingServices.map((s) => s.metadata?.name ?? '').join(', ')}`;
    } else if (health.failing) {
      reason = 'failing';
    } else if (oldRevision !== undefined) {
      reason = 'superseded';
      note = `old ReplicaSet (revision ${oldRevision}), ${health.state}`;
    } else if (copy && duplicate) {
      reason = 'duplicate';
      note = `copy of ${copy.metadata?.namespace ?? ''}/${copy.metadata?.name ?? ''}, ${health.state}`;
    }
    holders.push({ pod, workload, amount, reason, note, duplicate });
  }
  return holders.sort((a, b) => holdOrder.indexOf(a.reason) - holdOrder.indexOf(b.reason) || b.amount - a.amount);
}

/** The sum of the `count` largest amounts. */
function largest(holders: readonly Holder[], count: number): number {
  return holders.map((h) => h.amount).sort((a, b) => b - a).slice(0, count).reduce((a, b) => a + b, 0);
}

/**
 * The fewest failing or duplicate holders whose reservations, released, would let the
 * pending pod fit on the node; empty when even all of them would not be enough. Among
 * choices of that size, failing holders (they serve nothing) come before running copies,
 * larger before smaller.
 */
export function releasableHolders(holders: readonly Holder[], free: number, needed: number): Holder[] {
  const candidates = holders.filter((h) => h.reason === 'failing' || h.reason === 'duplicate')
    .sort((a, b) => holdOrder.indexOf(a.reason) - holdOrder.indexOf(b.reason) || b.amount - a.amount);
  let count = 0;
  while (free + largest(candidates, count) < needed && count < candidates.length) count++;
  if (free + largest(candidates, count) < needed) return [];
  const chosen: Holder[] = [];
  let room = free;
  let remaining = candidates;
  for (let slots = count; slots > 0; slots--) {
    // The most preferred holder that still lets the other slots, filled with the largest, make room.
    const pick = remaining.find((h) => room + h.amount + largest(remaining.filter((o) => o !== h), slots - 1) >= needed);
    if (!pick) break;
    chosen.push(pick);
    room += pick.amount;
    remaining = remaining.filter((h) => h !== pick);
  }
  return chosen;
}
