import { defineKnowledge } from '../../engine/define-rule.js';

export default defineKnowledge({
  id: 'idempotent-side-effects',
  meta: {
    title: 'Duplicate side effects under retries',
    description: 'Emails sent twice, double charges, duplicated orders after restarts, rollouts or message redelivery.',
    category: 'knowledge',
    severity: 'warning',
  },
  runbook: {
    symptoms: 'Customers receive the same email or webhook twice; a payment is captured twice; a job runs again after a pod restart or a rolling update; duplicates cluster around deploys, OOM kills and node drains.',
    rootCause: 'Kubernetes and message brokers deliver at least once: a pod killed after doing the work but before acknowledging it (SIGTERM during a rollout, OOMKilled, a liveness probe kill) gets the work again, and client retries after a timeout repeat requests that had in fact succeeded. Without an idempotency key the second delivery repeats the side effect.',
    diagnosis: [
      { description: 'Correlate the duplicates with restarts and rollouts', command: 'kubectl -n <namespace> get events --field-selector reason=Killing --sort-by=.lastTimestamp' },
      { description: 'Check how long pods get to finish work on shutdown', command: 'kubectl -n <namespace> get deployment <name> -o jsonpath=\'{.spec.template.spec.terminationGracePeriodSeconds}\'' },
      { description: 'Look for the same message id handled twice in the logs', command: 'kubectl -n <namespace> logs deployment/<name> --since=1h | grep <message-id>' },
    ],
    fix: [
      { description: 'Give every side effect an idempotency key (order id + action) and record it in the same transaction as the effect; skip work whose key is already recorded' },
      { description: 'Pass idempotency keys to payment and email providers that support them (e.g. the Idempotency-Key header)' },
      { description: 'Acknowledge messages only after the effect is committed, and handle SIGTERM by finishing or releasing in-flight work within terminationGracePeriodSeconds' },
    ],
    prevention: 'Treat every handler as "may run twice": idempotency keys, unique constraints on business keys, the outbox pattern for messages, and a test that delivers every message twice.',
  },
});
