import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import imagePullFailed from '../image-pull-failed/rule.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'a finished rollout with the old ReplicaSet scaled to 0', fixture: 'healthy.json' },
    { name: 'a finished rollout whose pods crash later (a crash-loop, not a stuck rollout)', fixture: 'finished-rollout-crashing.json' },
  ],
  invalid: [
    {
      name: 'ProgressDeadlineExceeded with the new pod unable to pull its image',
      fixture: 'deadline-exceeded.json',
      withRules: [imagePullFailed],
      findings: [{
        object: 'Deployment/shop/worker',
        cause: 'deadline-exceeded',
        message: ['deployment/worker rollout stuck', 'revision 6 (worker-64jprd4nzn) has 0/2 ready', 'progress deadline exceeded'],
        evidence: [
          'condition Progressing=False ProgressDeadlineExceeded: ReplicaSet "worker-64jprd4nzn" has timed out progressing.',
          'replicas: 2 desired, 3 total, 1 updated, 2 ready, 2 available',
          'new revision 6 (ReplicaSet worker-64jprd4nzn, shopacr.azurecr.io/shop/worker:2.1.0): 0/1 ready',
          'old revision 5 (ReplicaSet worker-vfqxjlc5rb, shopacr.azurecr.io/shop/worker:2.0.4): 2/2 ready, still serving',
          ': ImagePullBackOff',
        ],
        commands: ['kubectl -n shop rollout undo deployment/worker', 'kubectl -n shop rollout status deployment/worker'],
        causedBy: ['Deployment/shop/worker'],
      }],
    },
    {
      name: 'a rolling update whose new pod crash-loops before the deadline',
      fixture: 'new-pods-crashing.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'new-pods-failing',
        message: ['revision 4 (api-c5d6f7b8d9) has 0/2 ready', 'new pods failing: api-c5d6f7b8d9-'],
        evidence: ['CrashLoopBackOff (5 restarts)', 'old revision 3 (ReplicaSet api-b7c8d9f6d4, shopacr.azurecr.io/shop/api:1.7.3): 2/2 ready'],
        commands: ['kubectl -n shop rollout undo deployment/api'],
      }],
    },
    {
      name: 'a StatefulSet whose first updated pod crash-loops',
      fixture: 'statefulset-stuck.json',
      findings: [{
        object: 'StatefulSet/shop/kafka',
        cause: 'statefulset-stuck',
        message: ['1/3 pods on update revision kafka-8c6b7d9f5c', 'failing: kafka-2'],
        evidence: ['currentRevision kafka-5f7d9c8b6d, updateRevision kafka-8c6b7d9f5c', 'pod kafka-2: CrashLoopBackOff (7 restarts)'],
        commands: ['kubectl -n shop delete pod kafka-2', 'kubectl -n shop rollout undo statefulset/kafka'],
      }],
    },
    {
      name: 'a DaemonSet whose updated pod crash-loops on the first node',
      fixture: 'daemonset-stuck.json',
      findings: [{
        object: 'DaemonSet/monitoring/node-exporter',
        cause: 'daemonset-stuck',
        message: ['1/2 nodes run the new template', 'failing: node-exporter-'],
        evidence: ['desired 2, updated 1, ready 1, unavailable 1', 'CrashLoopBackOff (8 restarts)'],
        commands: ['kubectl -n monitoring rollout undo daemonset/node-exporter'],
      }],
    },
  ],
});
