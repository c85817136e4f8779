import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import { defineRule } from '../../engine/define-rule.js';
import crashLoop from '../crash-loop/rule.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

/** Stands in for pod-unschedulable (another module) so the chain's root has a finding. */
const pendingPods = defineRule({
  id: 'test-pending-pod',
  meta: { title: 'Pending pod', description: 'Test double: every Pending pod.', category: 'pods', severity: 'critical', sources: ['cluster'] },
  messages: { pending: '{{name}} is Pending' },
  runbook: { symptoms: 'Pending', rootCause: 'Pending', diagnosis: [], fix: [], prevention: 'none' },
  *detect(model) {
    for (const pod of model.list('Pod')) if (pod.status?.phase === 'Pending') yield { subject: pod, messageId: 'pending' };
  },
});

testRule(rule, fixtures, {
  valid: [{ name: 'a dependency that is Ready again, and an unreachable host outside the cluster', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'an API crash-looping because postgres is Pending',
      fixture: 'database-pending.json',
      withRules: [crashLoop, pendingPods],
      findings: [{
        object: 'Service/shop/postgres',
        cause: 'no-ready-endpoints',
        message: ['Service postgres has no ready endpoints', 'shop/deployment/api cannot reach postgres:5432'],
        evidence: ['log line 9: psycopg2.OperationalError: could not connect to server: Connection refused', 'postgres-0 Pending (Unschedulable)'],
        rootCause: ['postgres-0 Pending (Unschedulable)'],
        commands: ['kubectl -n shop describe pod postgres-0', 'kubectl -n shop rollout restart deployment/api'],
        causedBy: ['Pod/shop/postgres-0'],
      }],
    },
    {
      name: 'a worker looking up a host that names no Service',
      fixture: 'service-missing.json',
      findings: [{
        object: 'Deployment/orders/dispatcher',
        cause: 'service-missing',
        message: ['connect to rabbitmq,', 'no Service rabbitmq exists in orders'],
        evidence: ['dial tcp: lookup rabbitmq on 10.0.0.10:53: no such host'],
      }],
    },
    {
      name: 'a ClusterIP whose Service selects no pods',
      fixture: 'selector-mismatch.json',
      findings: [{
        object: 'Service/shop/cache',
        cause: 'no-matching-pods',
        message: ['cannot reach 10.0.201.9:6379'],
        evidence: ['Error: connect ECONNREFUSED 10.0.201.9:6379', 'selects no pods (app.kubernetes.io/name=cache,app.kubernetes.io/version=7.2.5)'],
        commands: ['kubectl -n shop get pods --show-labels'],
      }],
    },
  ],
});
