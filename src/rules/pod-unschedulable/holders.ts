import type { ClusterModel, NodeAllocation } from '../../model/cluster-model.js';
import { podRequests } from '../../model/cluster-model.js';
import type { KubeObject, Pod, Service, Workload } from '../../model/k8s.js';
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

/** The same application in another namespace: a workload of the same kind and name, or running the same image repository. */
function copyOf(model: ClusterModel, workload: KubeObject): KubeObject | undefined {
  if (!workloadKinds.has(workload.kind ?? '')) return undefined;
  const namespace = workload.metadata?.namespace ?? '';
  const repositories = new Set(((workload as Workload).spec?.template?.spec?.containers ?? []).map((c) => (c.image ?? '').replace(/[:@].*$/, '')));
  return model.list(workload.kind ?? '').find((other) => {
    if ((other.metadata?.namespace ?? '') === namespace) return false;
    if (other.metadata?.name === workload.metadata?.name) return true;
    return ((other as Workload).spec?.template?.spec?.containers ?? []).some((c) => repositories.has((c.image ?? '').replace(/[:@].*$/, '')));
  });
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
export function holdersOn(model: ClusterModel, allocation: NodeAllocation, resource: Resource, pending: Pod): Holder[] {
  const pendingWorkload = model.rootOwner(pending);
  const pendingServices = model.servicesSelecting(pending);
  const holders: Holder[] = [];
  for (const pod of allocation.pods) {
    const amount = podRequests(pod.spec?.containers, pod.spec?.initContainers)[resource];
    if (amount <= 0) continue;
    const workload = model.rootOwner(pod);
    const health = podHealth(pod);
    const oldRevision = supersededRevision(model, pod);
    const copy = copyOf(model, workload);
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
    } else if (copy && objectKey(workload) !== objectKey(pendingWorkload) && (pod.metadata?.namespace ?? '') !== (pending.metadata?.namespace ?? '')) {
      reason = 'duplicate';
      note = `copy of ${copy.metadata?.namespace ?? ''}/${copy.metadata?.name ?? ''}, ${health.state}`;
    }
    holders.push({ pod, workload, amount, reason, note });
  }
  return holders.sort((a, b) => holdOrder.indexOf(a.reason) - holdOrder.indexOf(b.reason) || b.amount - a.amount);
}

/**
 * The fewest failing or duplicate holders (largest first) whose reservations, released, would let the
 * pending pod fit on the node; empty when even all of them would not be enough.
 */
export function releasableHolders(holders: readonly Holder[], free: number, needed: number): Holder[] {
  const candidates = holders.filter((h) => h.reason === 'failing' || h.reason === 'duplicate').sort((a, b) => b.amount - a.amount);
  const chosen: Holder[] = [];
  let room = free;
  for (const holder of candidates) {
    if (room >= needed) break;
    chosen.push(holder);
    room += holder.amount;
  }
  return room >= needed ? chosen : [];
}
