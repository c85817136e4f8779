import { defineRule } from '../../engine/define-rule.js';
import { pushTo } from '../../model/collections.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject, Workload } from '../../model/k8s.js';
import { displayName, refOf } from '../../model/object-ref.js';

type Cause = 'upgrade-failed' | 'install-failed' | 'stuck-pending' | 'stuck-pending-install';

/** One release revision as Helm's storage driver labels it; the payload is never read. */
interface Revision {
  readonly record: KubeObject;
  readonly release: string;
  readonly namespace: string;
  readonly version: number;
  readonly status: string;
  /** When the operation that wrote this revision started. */
  readonly recordedAt: string;
}

/** A pending operation younger than this may still be running. */
const pendingGraceMs = 15 * 60 * 1000;
/** Rollouts that begin this soon after a revision was recorded are taken as its doing. */
const rolloutWindowMs = 15 * 60 * 1000;

function revisionsOf(model: ClusterModel): Revision[] {
  const records: KubeObject[] = [
    ...model.list('Secret').filter((s) => s.type === 'helm.sh/release.v1'),
    ...model.list('ConfigMap').filter((c) => c.metadata?.labels?.owner === 'helm'),
  ];
  return records.flatMap((record) => {
    const labels = record.metadata?.labels ?? {};
    const version = Number(labels.version);
    const release = labels.name;
    const status = labels.status;
    if (labels.owner !== 'helm' || !release || !status || !Number.isInteger(version)) return [];
    const modifiedAt = Number(labels.modifiedAt);
    const recordedAt = record.metadata?.creationTimestamp
      ?? (Number.isFinite(modifiedAt) && modifiedAt > 0 ? new Date(modifiedAt * 1000).toISOString() : '');
    return [{ record, release, namespace: record.metadata?.namespace ?? '', version, status, recordedAt }];
  });
}

function unsettled(workload: Workload): boolean {
  const status = workload.status;
  const replicas = workload.spec?.replicas ?? 1;
  return (status?.unavailableReplicas ?? 0) > 0
    || (status?.updatedReplicas ?? replicas) < replicas
    || (status?.readyReplicas ?? 0) < replicas
    || (status?.conditions ?? []).some((c) => c.type === 'Progressing' && c.status === 'False');
}

/**
 * Workloads the failed revision rolled out and that did not settle: those Helm labels as the
 * release's, else those whose newest ReplicaSet appeared right after the revision was recorded.
 */
function workloadsRolledBy(model: ClusterModel, revision: Revision): { workload: Workload; why: string }[] {
  const start = Date.parse(revision.recordedAt);
  const workloads = [...model.list('Deployment', revision.namespace), ...model.list('StatefulSet', revision.namespace), ...model.list('DaemonSet', revision.namespace)];
  return workloads.flatMap((workload) => {
    if (!unsettled(workload)) return [];
    const annotations = workload.metadata?.annotations ?? {};
    const labels = workload.metadata?.labels ?? {};
    if (annotations['meta.helm.sh/release-name'] === revision.release || (labels['app.kubernetes.io/instance'] === revision.release && labels['app.kubernetes.io/managed-by'] === 'Helm')) {
      return [{ workload, why: `${displayName(refOf(workload))} belongs to release ${revision.release} and is not fully available` }];
    }
    if (!Number.isFinite(start)) return [];
    const rolled = model.ownedBy(workload, 'ReplicaSet').find((rs) => {
      const created = Date.parse(rs.metadata?.creationTimestamp ?? '');
      return created >= start && created - start <= rolloutWindowMs;
    });
    if (!rolled) return [];
    const seconds = Math.round((Date.parse(rolled.metadata?.creationTimestamp ?? '') - start) / 1000);
    return [{ workload, why: `${displayName(refOf(workload))} started rolling out ReplicaSet ${rolled.metadata?.name ?? ''} ${seconds}s after revision ${revision.version} was recorded and is not fully available` }];
  });
}

export default defineRule({
  id: 'helm-release-failed',
  meta: {
    title: 'Helm release failed or is stuck',
    description: 'The latest revision of a Helm release is `failed`, or stuck in `pending-install`/`pending-upgrade`/`pending-rollback`, read from the labels of Helm\'s release records.',
    category: 'workloads',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    release: 'Helm release {{release}} in {{namespace}}: revision {{revision}} is {{status}}{{lastGoodNote}}',
  },
  runbook: {
    symptoms: '`helm upgrade` failed or timed out; the next `helm upgrade` says `another operation (install/upgrade/rollback) is in progress` or `has no deployed releases`; the cluster runs a mix of old and new versions.',
    rootCause: 'Helm recorded revision {{revision}} of release {{release}} as {{status}}.',
    diagnosis: [
      { description: 'Revisions and their status', command: 'helm -n {{namespace}} history {{release}}' },
      { description: 'Why the revision failed (events, pods of the release)', command: 'helm -n {{namespace}} status {{release}} --show-resources' },
      { description: 'The release records themselves (labels only; the payload is the chart and values)', command: 'kubectl -n {{namespace}} get secrets -l owner=helm,name={{release}} -L status,version' },
    ],
    fix: [{ description: 'Read the history', command: 'helm -n {{namespace}} history {{release}}' }],
    prevention: 'Run upgrades with `--atomic` (rolls back by itself on failure) or `--rollback-on-failure`, a `--timeout` longer than the slowest rollout, and never interrupt a running `helm upgrade` (a killed client leaves the release pending).',
    causes: {
      'upgrade-failed': {
        title: 'Upgrade failed',
        rootCause: 'The upgrade to revision {{revision}} of {{release}} failed (a resource was rejected, or with --wait the new pods never became ready before the timeout); revision {{lastGood}} is the last one that deployed. Until it is fixed or rolled back, the next upgrade diffs against a half-applied state.',
        fix: [
          { description: 'See what failed', command: 'helm -n {{namespace}} history {{release}}' },
          { description: 'Roll back to the last deployed revision', command: 'helm -n {{namespace}} rollback {{release}} {{lastGood}} --wait', mutates: true },
        ],
      },
      'install-failed': {
        title: 'Install failed',
        rootCause: 'The first install of {{release}} (revision {{revision}}) failed and there is no deployed revision to roll back to.',
        fix: [
          { description: 'See what failed', command: 'helm -n {{namespace}} status {{release}}' },
          { description: 'Remove the failed release, fix the cause, install again', command: 'helm -n {{namespace}} uninstall {{release}}', mutates: true },
        ],
      },
      'stuck-pending': {
        title: 'Operation stuck pending',
        rootCause: 'Revision {{revision}} of {{release}} has been {{status}} since {{recordedAt}}: the helm client that started it was interrupted (Ctrl-C, CI job timeout, lost connection), so Helm still holds the release lock and refuses new operations.',
        fix: [
          { description: 'Confirm nothing is still running the operation', command: 'helm -n {{namespace}} history {{release}}' },
          { description: 'Roll back to the last deployed revision; this clears the pending state', command: 'helm -n {{namespace}} rollback {{release}} {{lastGood}}', mutates: true },
        ],
      },
      'stuck-pending-install': {
        title: 'Install stuck pending',
        rootCause: 'The first install of {{release}} has been {{status}} since {{recordedAt}} and there is no deployed revision: the client was interrupted and the lock remains.',
        fix: [
          { description: 'Remove the stuck release, then install again', command: 'helm -n {{namespace}} uninstall {{release}}', mutates: true },
        ],
      },
    },
  },
  *detect(model, context) {
    const releases = new Map<string, Revision[]>();
    for (const revision of revisionsOf(model)) {
      const key = `${revision.namespace}/${revision.release}`;
      pushTo(releases, key, revision);
    }
    for (const revisions of releases.values()) {
      revisions.sort((a, b) => b.version - a.version);
      const latest = revisions[0];
      if (!latest) continue;
      const pending = latest.status.startsWith('pending-') || latest.status === 'uninstalling';
      if (latest.status !== 'failed' && !pending) continue;
      if (pending && context.now.getTime() - Date.parse(latest.recordedAt) < pendingGraceMs) continue;
      const lastGood = revisions.find((r) => r.status === 'deployed') ?? revisions.find((r) => r.status === 'superseded');
      const cause: Cause = pending
        ? (lastGood ? 'stuck-pending' : 'stuck-pending-install')
        : (lastGood ? 'upgrade-failed' : 'install-failed');
      const rolled = latest.status === 'failed' ? workloadsRolledBy(model, latest) : [];
      yield {
        subject: latest.record,
        messageId: 'release',
        cause,
        data: {
          release: latest.release,
          revision: latest.version,
          status: latest.status,
          recordedAt: latest.recordedAt,
          lastGood: lastGood?.version ?? 0,
          lastGoodNote: lastGood ? `; revision ${lastGood.version} is the last deployed` : '; no revision ever deployed',
        },
        evidence: [
          ...revisions.slice(0, 5).map((r) => `revision ${r.version}: ${r.status}${r.recordedAt ? ` (recorded ${r.recordedAt})` : ''} — ${r.record.kind ?? 'Secret'} ${r.record.metadata?.name ?? ''}`),
          ...rolled.map((r) => r.why),
        ],
        causedBy: rolled.map((r) => r.workload),
      };
    }
  },
});
