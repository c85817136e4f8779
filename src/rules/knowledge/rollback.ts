import { defineKnowledge } from '../../engine/define-rule.js';

export default defineKnowledge({
  id: 'rollback',
  meta: {
    title: 'Rolling back safely, and keeping the evidence',
    description: 'How to undo a bad rollout quickly without destroying what explains it.',
    category: 'knowledge',
    severity: 'info',
  },
  runbook: {
    symptoms: 'A rollout broke production and users are affected now.',
    rootCause: 'Restoring service comes first, but a rollback replaces the failing pods — and with them their logs, events and state that explain the failure. Capture first (it takes seconds), then roll back.',
    diagnosis: [
      { description: 'Capture the cluster state and the failing containers\' logs, secrets redacted', command: 'kubetriage snapshot -n <namespace> -o incident-$(date +%Y%m%d-%H%M).json.gz' },
      { description: 'Save the previous logs of the failing pods', command: 'kubectl -n <namespace> logs deployment/<name> --previous --all-containers > failing.log' },
      { description: 'See the revisions', command: 'kubectl -n <namespace> rollout history deployment/<name>' },
    ],
    fix: [
      { description: 'Roll the Deployment back to the previous revision', command: 'kubectl -n <namespace> rollout undo deployment/<name>', mutates: true },
      { description: 'or to a known good revision', command: 'kubectl -n <namespace> rollout undo deployment/<name> --to-revision=<revision>', mutates: true },
      { description: 'For Helm releases, roll back the release (not the Deployment, or the next upgrade reverts you)', command: 'helm -n <namespace> rollback <release> <revision>', mutates: true },
      { description: 'Watch it complete', command: 'kubectl -n <namespace> rollout status deployment/<name> --timeout=5m' },
    ],
    prevention: 'Keep revisionHistoryLimit above 1, deploy with readiness probes and maxUnavailable 0 so a bad version never takes all traffic, and analyse the captured snapshot afterwards with `kubetriage scan --snapshot`.',
  },
});
