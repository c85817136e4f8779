import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeEvent, PersistentVolumeClaim, Pod } from '../../model/k8s.js';
import { eventEvidence, groupByWorkload, listNames, podName, workloadName } from '../support/pods.js';

type Cause = 'storage-class-missing' | 'provisioning-failed' | 'waiting-for-volume' | 'multi-attach' | 'attach-failed' | 'mount-failed' | 'claim-lost';

const mountReasons = new Set(['FailedMount', 'FailedAttachVolume', 'FailedMapVolume']);

/** Mount errors about Secrets and ConfigMaps belong to missing-config-reference. */
const configMountError = /(secret|configmap) "[^"]+" not found|couldn't find key/i;

export function classifyMountEvent(event: KubeEvent): Cause {
  const message = event.message ?? '';
  if (/Multi-Attach error/i.test(message)) return 'multi-attach';
  if (event.reason === 'FailedAttachVolume') return 'attach-failed';
  return 'mount-failed';
}

function pvcCause(model: ClusterModel, claim: PersistentVolumeClaim, events: readonly KubeEvent[]): Cause | undefined {
  if (claim.status?.phase === 'Lost') return 'claim-lost';
  if (claim.status?.phase !== 'Pending') return undefined;
  const className = claim.spec?.storageClassName;
  if (className && model.list('StorageClass').length > 0 && !model.get('StorageClass', undefined, className)) return 'storage-class-missing';
  if (events.some((e) => e.reason === 'ProvisioningFailed' && /storageclass\.storage\.k8s\.io "[^"]+" not found/.test(e.message ?? ''))) return 'storage-class-missing';
  if (events.some((e) => e.reason === 'ProvisioningFailed')) return 'provisioning-failed';
  return 'waiting-for-volume';
}

/** Pods that mount a claim by name. */
function podsUsingClaim(model: ClusterModel, claim: PersistentVolumeClaim): Pod[] {
  const namespace = claim.metadata?.namespace ?? '';
  const name = claim.metadata?.name ?? '';
  return model.list('Pod', namespace).filter((pod) => (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name));
}

export default defineRule({
  id: 'volume-problem',
  meta: {
    title: 'Volume cannot be provisioned, attached or mounted',
    description: 'A PersistentVolumeClaim stays Pending or Lost, or pods fail to attach or mount their volumes (FailedMount, FailedAttachVolume).',
    category: 'nodes',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    claim: 'PersistentVolumeClaim {{name}} is {{phase}}{{usedBy}}',
    mount: '{{workload}} cannot {{action}} volume(s) in {{pods}}',
  },
  runbook: {
    symptoms: 'Pods stay in ContainerCreating or Pending; `kubectl describe pod` shows FailedMount or FailedAttachVolume; a PVC stays Pending.',
    rootCause: 'The storage a pod needs is not there or cannot be attached to its node.',
    diagnosis: [
      { description: 'Read the claim and its events', command: 'kubectl -n {{namespace}} describe pvc {{claim}}' },
      { description: 'List the storage classes and the default one', command: 'kubectl get storageclass' },
      { description: 'See which node holds the volume', command: 'kubectl get volumeattachments' },
    ],
    fix: [{ description: 'Read the events and fix the storage configuration', command: 'kubectl -n {{namespace}} get events --field-selector involvedObject.name={{name}}' }],
    prevention: 'Use a StorageClass that exists in every cluster you deploy to, ReadWriteOnce volumes only with one replica or a StatefulSet, and `strategy: Recreate` for Deployments that mount a ReadWriteOnce volume.',
    causes: {
      'storage-class-missing': {
        title: 'StorageClass does not exist',
        rootCause: 'The claim asks for StorageClass "{{storageClass}}", which this cluster does not have, so nothing provisions a volume.',
        fix: [
          { description: 'See which classes exist', command: 'kubectl get storageclass' },
          { description: 'Recreate the claim with an existing class (a PVC\'s class cannot be changed in place; data: none yet, it never bound)', command: 'kubectl -n {{namespace}} get pvc {{name}} -o yaml > pvc.yaml && kubectl -n {{namespace}} delete pvc {{name}} && kubectl apply -f pvc.yaml  # after editing storageClassName', mutates: true },
        ],
      },
      'provisioning-failed': {
        title: 'The provisioner failed',
        rootCause: 'The storage provisioner tried and failed to create the volume (quota, zone, permissions or parameters); its event says why.',
        fix: [{ description: 'Read the provisioner\'s error', command: 'kubectl -n {{namespace}} describe pvc {{name}}' }],
      },
      'waiting-for-volume': {
        title: 'Claim not bound',
        rootCause: 'The claim is Pending with no provisioning error: no PersistentVolume matches it (static provisioning) or the provisioner is not running.',
        fix: [
          { description: 'Look for a matching PersistentVolume', command: 'kubectl get pv' },
          { description: 'Check the CSI driver pods', command: 'kubectl -n kube-system get pods -l app=csi-azuredisk-controller' },
        ],
      },
      'claim-lost': {
        title: 'Claim lost its volume',
        rootCause: 'The PersistentVolume behind {{name}} was deleted; the claim is Lost and its data is gone unless the disk was retained.',
        fix: [{ description: 'Find the retained disk or restore from backup, then bind a new PersistentVolume', command: 'kubectl get pv -o wide' }],
      },
      'multi-attach': {
        title: 'ReadWriteOnce volume attached to another node',
        rootCause: 'A ReadWriteOnce volume is still attached to the node of another pod (often the old pod of a rolling update), so the new pod cannot attach it.',
        fix: [
          { description: 'Use Recreate so the old pod releases the volume before the new one starts', command: 'kubectl -n {{namespace}} patch {{workload}} -p \'{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}\'', mutates: true },
        ],
      },
      'attach-failed': {
        title: 'Volume attach failed',
        rootCause: 'The cloud disk could not be attached to the node (zone mismatch, node disk limit, a stuck detach).',
        fix: [{ description: 'Check the attachment objects and the disk\'s zone against the node\'s', command: 'kubectl get volumeattachments' }],
      },
      'mount-failed': {
        title: 'Mount failed',
        rootCause: 'The kubelet could not mount the volume on the node; the event holds the reason.',
        fix: [{ description: 'Read the mount error', command: 'kubectl -n {{namespace}} describe pod {{pod}}' }],
      },
    },
  },
  *detect(model) {
    for (const claim of model.list('PersistentVolumeClaim')) {
      const events = model.eventsFor(claim);
      const cause = pvcCause(model, claim, events);
      if (!cause) continue;
      const users = podsUsingClaim(model, claim);
      // A WaitForFirstConsumer claim with no pod waiting on it is working as designed.
      if (cause === 'waiting-for-volume' && (users.length === 0 || events.some((e) => e.reason === 'WaitForFirstConsumer') && users.every((p) => p.status?.phase === 'Running'))) continue;
      const storageClass = claim.spec?.storageClassName ?? '(default)';
      yield {
        subject: claim,
        messageId: 'claim',
        cause,
        data: {
          phase: claim.status?.phase ?? 'Pending',
          storageClass,
          claim: claim.metadata?.name ?? '',
          usedBy: users.length ? `; ${listNames(users.map(podName))} wait${users.length === 1 ? 's' : ''} for it` : '',
        },
        evidence: [
          `storageClassName: ${storageClass}`,
          ...events.filter((e) => e.type === 'Warning').slice(-3).map(eventEvidence),
        ],
      };
    }

    const failures = model.list('Pod').flatMap((pod) => {
      if (pod.status?.phase === 'Running' || pod.status?.phase === 'Succeeded') return [];
      const events = model.eventsFor(pod).filter((e) => e.type === 'Warning' && mountReasons.has(e.reason ?? '') && !configMountError.test(e.message ?? ''));
      const latest = events.at(-1);
      return latest ? [{ pod, events, cause: classifyMountEvent(latest) }] : [];
    });
    for (const group of groupByWorkload(model, failures, (f) => f.cause)) {
      const first = group.items[0];
      if (!first) continue;
      const claims = (first.pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => Boolean(c));
      yield {
        subject: group.workload,
        messageId: 'mount',
        cause: first.cause,
        key: first.cause,
        data: {
          workload: workloadName(model, first.pod),
          action: first.cause === 'mount-failed' ? 'mount' : 'attach',
          pods: listNames(group.items.map((f) => podName(f.pod))),
          pod: podName(first.pod),
          claim: claims[0] ?? '<claim>',
        },
        evidence: [...new Map(group.items.flatMap((f) => f.events).map((e) => [e.message ?? '', e])).values()].slice(-3).map(eventEvidence),
        causedBy: claims.flatMap((name) => {
          const claim = model.get('PersistentVolumeClaim', first.pod.metadata?.namespace, name);
          return claim ? [claim] : [];
        }),
      };
    }
  },
});
