import { defineKnowledge } from '../../engine/define-rule.js';

export default defineKnowledge({
  id: 'port-forward',
  meta: {
    title: 'Stale kubectl port-forward sessions',
    description: 'A local port-forward that silently points at a pod that no longer exists, or an old version of the application.',
    category: 'knowledge',
    severity: 'info',
  },
  runbook: {
    symptoms: 'localhost answers with an old version after a deploy, or hangs or refuses connections, while the cluster itself is healthy; `kubectl port-forward` printed `lost connection to pod` or `error copying from remote stream`.',
    rootCause: '`kubectl port-forward svc/NAME` resolves the Service to ONE pod when it starts and stays bound to that pod: a rollout, a restart or an eviction leaves the session forwarding to a pod that is gone (connections fail) or, until it terminates, to the old version. The local port also stays taken, so a new port-forward fails with `address already in use`.',
    diagnosis: [
      { description: 'Find the port-forward processes still running', command: 'pgrep -af "kubectl.*port-forward"' },
      { description: 'See what holds the local port', command: 'lsof -iTCP:<local-port> -sTCP:LISTEN' },
      { description: 'Compare with the pods that exist now', command: 'kubectl -n <namespace> get pods -l <selector> -o wide' },
    ],
    fix: [
      { description: 'Stop the stale sessions', command: 'pkill -f "kubectl.*port-forward"' },
      { description: 'Start a fresh one after every rollout', command: 'kubectl -n <namespace> port-forward svc/<service> <local-port>:<service-port>' },
    ],
    prevention: 'Use port-forward only for short debugging; restart it after deploys (or wrap it in a loop that restarts on exit); for shared access use an Ingress or a LoadBalancer Service instead.',
  },
});
