import { defineRule } from '../../engine/define-rule.js';
import type { FixStep } from '../../engine/types.js';
import type { LogMatch } from '../../logs/index.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Pod } from '../../model/k8s.js';
import { configuredDependencies, crashEvidence, dependencyReport, endpointText, resolveDependency } from '../support/dependencies.js';
import type { Dependency } from '../support/dependencies.js';
import { containerStatuses, eventEvidence, groupByWorkload, listNames, podEvents, podName, someStatus, workloadName } from '../support/pods.js';
import type { ContainerInPod } from '../support/pods.js';
import { describeExit, isOomKill, killedByLiveness, lastTermination } from '../support/terminations.js';
import { missingVariableSources, variableSources } from './variable-sources.js';

type Cause =
  | 'dependency-unreachable' | 'dual-stack-timeout' | 'missing-config' | 'credentials-refused' | 'key-decryption'
  | 'broken-image' | 'port-in-use' | 'permission-denied' | 'runtime-oom' | 'exits-immediately' | 'killed'
  | 'app-exception' | 'unknown';

const causeOfSignature: Readonly<Record<string, Cause>> = {
  'connection-refused': 'dependency-unreachable',
  'connection-timeout': 'dependency-unreachable',
  'host-not-found': 'dependency-unreachable',
  'node-happy-eyeballs-timeout': 'dual-stack-timeout',
  'missing-env': 'missing-config',
  'database-auth-failed': 'credentials-refused',
  'bad-api-key': 'credentials-refused',
  'token-signature-mismatch': 'credentials-refused',
  'key-decryption-failed': 'key-decryption',
  'missing-module': 'broken-image',
  'command-not-found': 'broken-image',
  'port-in-use': 'port-in-use',
  'permission-denied': 'permission-denied',
  'runtime-out-of-memory': 'runtime-oom',
  'python-exception': 'app-exception',
  'java-exception': 'app-exception',
  'node-error': 'app-exception',
  'go-panic': 'app-exception',
};

/** Restarts at which a container that is running again still counts as crash-looping. */
const climbingRestarts = 3;
/** …when its last crash is this recent (ms). */
const recentCrash = 60 * 60 * 1000;

interface Crash extends ContainerInPod {
  readonly container: string;
  readonly backOff: boolean;
  readonly match?: LogMatch;
  readonly log?: string;
  readonly cause: Cause;
  readonly dependency?: Dependency;
}

/** Tells the causes apart: the log signature first, then the exit code. */
export function classifyCrash(match: LogMatch | undefined, exitCode: number | undefined): Cause {
  const fromLog = match ? causeOfSignature[match.signature.id] : undefined;
  if (fromLog) return fromLog;
  if (exitCode === 0) return 'exits-immediately';
  if (exitCode === 126 || exitCode === 127) return 'broken-image';
  if (exitCode === 137 || exitCode === 143) return 'killed';
  if (exitCode === 139 || exitCode === 134) return 'app-exception';
  return 'unknown';
}

function crashesOf(model: ClusterModel, pod: Pod, now: Date): Crash[] {
  if (!someStatus(pod, (s) => s.state?.waiting?.reason === 'CrashLoopBackOff' || (s.restartCount ?? 0) >= climbingRestarts)) return [];
  const crashes: Crash[] = [];
  for (const entry of containerStatuses(pod)) {
    const backOff = entry.status.state?.waiting?.reason === 'CrashLoopBackOff';
    // Neither backing off nor restarting: nothing to read (the common, healthy case).
    if (!backOff && (entry.status.restartCount ?? 0) < climbingRestarts) continue;
    const container = entry.status.name ?? '';
    const terminated = lastTermination(entry.status);
    const finished = Date.parse(terminated?.finishedAt ?? '');
    const climbing = !backOff && (entry.status.restartCount ?? 0) >= climbingRestarts && terminated !== undefined
      && terminated.exitCode !== 0 && Number.isFinite(finished) && now.getTime() - finished < recentCrash;
    if (!backOff && !climbing) continue;
    // Memory kills and liveness kills have their own rules (oom-killed, probe-failing).
    if (isOomKill(model, pod, entry.status)) continue;
    if ((terminated?.exitCode === 137 || terminated?.exitCode === 143) && killedByLiveness(model, pod, container)) continue;
    const { log, match } = crashEvidence(model, pod, container);
    let cause = classifyCrash(match, terminated?.exitCode);
    let dependency = match?.host !== undefined ? resolveDependency(model, pod.metadata?.namespace ?? '', match.host, match.port) : undefined;
    if (log === undefined && !dependency) {
      // No log to read: a configured in-cluster dependency that is down is the likely cause.
      const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === container);
      dependency = configuredDependencies(model, pod.metadata?.namespace ?? '', spec?.env)[0];
      if (dependency && (cause === 'unknown' || cause === 'app-exception')) cause = 'dependency-unreachable';
    }
    crashes.push({
      ...entry, container, backOff, cause,
      ...(log === undefined ? {} : { log }),
      ...(match ? { match } : {}),
      ...(dependency ? { dependency } : {}),
    });
  }
  return crashes;
}

function lastLines(log: string | undefined, count: number): string[] {
  if (log === undefined) return [];
  return log.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(-count);
}

export default defineRule({
  id: 'crash-loop',
  meta: {
    title: 'Container is crash-looping',
    description: 'A container is in CrashLoopBackOff or keeps restarting; the exit code and the previous container\'s log say why.',
    category: 'pods',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    crashing: '{{container}} keeps crashing in {{pods}} ({{restarts}} restarts, last {{exit}}): {{summary}}',
  },
  runbook: {
    symptoms: '`kubectl get pods` shows CrashLoopBackOff or a RESTARTS count that keeps growing; the pod is never Ready and its Service has no endpoints.',
    rootCause: 'The container\'s main process exits soon after it starts; the kubelet restarts it with a growing back-off (up to 5 minutes).',
    diagnosis: [
      { description: 'Read the log of the crashed instance', command: 'kubectl -n {{namespace}} logs {{pod}} -c {{container}} --previous' },
      { description: 'See the exit code, reason and events', command: 'kubectl -n {{namespace}} describe pod {{pod}}' },
      { description: 'Follow the restarts', command: 'kubectl -n {{namespace}} get pods -w' },
    ],
    fix: [{ description: 'Fix what the log names, then restart the workload', command: 'kubectl -n {{namespace}} rollout restart {{workload}}', mutates: true }],
    prevention: 'Run the image with its production configuration in CI before deploying; let applications retry their dependencies with backoff instead of exiting; validate required settings in a readiness check, not only at import time.',
    causes: {
      'dependency-unreachable': {
        title: 'A dependency cannot be reached',
        rootCause: 'The application exits because it cannot reach {{endpoint}} at start-up: the dependency is not running or not Ready, its Service has no endpoints, the name does not resolve, or the port is wrong.',
        fix: [
          { description: 'Test the connection from the namespace', command: 'kubectl -n {{namespace}} run net-test --rm -it --restart=Never --image=busybox:1.36 -- nc -zv -w 3 {{host}} {{port}}', mutates: true },
          { description: 'Once the dependency is Ready, restart the workload (or let the back-off retry)', command: 'kubectl -n {{namespace}} rollout restart {{workload}}', mutates: true },
        ],
      },
      'dual-stack-timeout': {
        title: 'Node.js dual-stack connect timeouts (Happy Eyeballs)',
        rootCause: 'Node.js (>= 20) tries the IPv6 and IPv4 addresses of a host in turn with a short per-address timeout; where the IPv6 route is missing every attempt times out and the connection fails with an AggregateError of ETIMEDOUTs.',
        fix: [
          { description: 'Prefer IPv4 for the Node.js process', command: 'kubectl -n {{namespace}} set env {{workload}} -c {{container}} NODE_OPTIONS="--dns-result-order=ipv4first --no-network-family-autoselection"', mutates: true },
          { description: 'or in code at start-up: net.setDefaultAutoSelectFamily(false); dns.setDefaultResultOrder("ipv4first")' },
        ],
      },
      'missing-config': {
        title: 'A required setting is missing',
        rootCause: 'The application exits at start-up because the setting {{detail}} is not set in the container (an env var that is not defined, a Secret/ConfigMap key that is not mounted, or a value that fails validation).',
        fix: [
          { description: 'See which variables the container has', command: 'kubectl -n {{namespace}} set env {{workload}} -c {{container}} --list' },
          { description: 'Add {{detail}} from the Secret or ConfigMap that holds it', command: 'kubectl -n {{namespace}} set env {{workload}} -c {{container}} --from=secret/<secret-name> --keys={{detail}}', mutates: true },
        ],
      },
      'credentials-refused': {
        title: 'A key, password or token is refused',
        rootCause: 'A credential the application uses at start-up is refused: a database password, an API key or a token signing secret that differs from what the other side expects.',
        fix: [
          { description: 'See which Secrets the container reads', command: 'kubectl -n {{namespace}} get {{workload}} -o jsonpath=\'{.spec.template.spec.containers[*].env}\'' },
        ],
      },
      'key-decryption': {
        title: 'Stored keys encrypted with a rotated secret',
        rootCause: 'The auth library encrypted its signing keys (JWKS) with the previous secret; after the secret was rotated it cannot decrypt them and exits.',
        fix: [{ description: 'Clear the stored JWKS (e.g. `DELETE FROM jwks;` in the auth database) so new keys are generated with the current secret, or restore the previous secret' }],
      },
      'broken-image': {
        title: 'The image lacks the program or module it runs',
        rootCause: 'The container starts {{image}} but the entrypoint or a module it imports is missing, or the binary is built for another CPU architecture ({{exit}}).',
        fix: [
          { description: 'Look inside the image', command: 'docker run --rm -it --entrypoint sh {{image}}' },
          { description: 'Roll back to the last image that worked', command: 'kubectl -n {{namespace}} rollout undo {{workload}}', mutates: true },
        ],
      },
      'port-in-use': {
        title: 'Port already in use in the pod',
        rootCause: 'The app cannot bind its port: another container of the pod (they share one network namespace), a sidecar or a second process already listens on it.',
        fix: [{ description: 'List the ports every container of the pod uses', command: 'kubectl -n {{namespace}} get pod {{pod}} -o jsonpath=\'{range .spec.containers[*]}{.name}{"\\t"}{.ports}{"\\n"}{end}\'' }],
      },
      'permission-denied': {
        title: 'Permission denied on a path',
        rootCause: 'The container user may not write {{detail}}: a volume owned by root while the pod runs as non-root, a read-only root filesystem, or image files owned by another user.',
        fix: [
          { description: 'See the pod\'s user and volumes', command: 'kubectl -n {{namespace}} get pod {{pod}} -o jsonpath=\'{.spec.securityContext}{"\\n"}{.spec.volumes}\'' },
          { description: 'Make mounted volumes writable for the pod\'s group', command: 'kubectl -n {{namespace}} patch {{workload}} -p \'{"spec":{"template":{"spec":{"securityContext":{"fsGroup":<gid>}}}}}\'', mutates: true },
        ],
      },
      'runtime-oom': {
        title: 'The runtime ran out of heap',
        rootCause: 'The language runtime hit its own heap limit (Node --max-old-space-size, JVM -Xmx) before the container limit, and exited.',
        fix: [{ description: 'Raise the memory limit and size the heap to it', command: 'kubectl -n {{namespace}} set resources {{workload}} -c {{container}} --limits=memory=<larger>', mutates: true }],
      },
      'exits-immediately': {
        title: 'The main process finishes',
        rootCause: 'The container exits with code 0: its command runs to completion (a one-off task, or a server that daemonizes into the background), and a Deployment restarts whatever ends.',
        fix: [
          { description: 'See the command the container runs', command: 'kubectl -n {{namespace}} get {{workload}} -o jsonpath=\'{.spec.template.spec.containers[*].command} {.spec.template.spec.containers[*].args}\'' },
          { description: 'Run the server in the foreground (e.g. `nginx -g "daemon off;"`), or run a one-off task as a Job or CronJob instead of a Deployment' },
        ],
      },
      killed: {
        title: 'The container is killed',
        rootCause: 'The container was killed ({{exit}}) without a memory kill being reported: a preStop hook or grace period too short, a process manager that stops the app, or the node evicting it.',
        fix: [{ description: 'Read the events around the kill', command: 'kubectl -n {{namespace}} get events --field-selector involvedObject.name={{pod}}' }],
      },
      'app-exception': {
        title: 'The application throws at start-up',
        rootCause: 'The application crashes with an unhandled error ({{exit}}); the log line below names it.',
        fix: [{ description: 'If this started with a new image, roll back while the error is fixed', command: 'kubectl -n {{namespace}} rollout undo {{workload}}', mutates: true }],
      },
      unknown: {
        title: 'The process exits with an error',
        rootCause: 'The main process exits with {{exit}}; {{logNote}}',
        fix: [
          { description: 'Start a copy of the pod with a shell to look around', command: 'kubectl -n {{namespace}} debug {{pod}} -it --copy-to={{pod}}-debug --container={{container}} -- sh', mutates: true },
        ],
      },
    },
  },
  *detect(model, context) {
    const crashes = model.list('Pod').flatMap((pod) => crashesOf(model, pod, context.now));
    for (const group of groupByWorkload(model, crashes, (c) => `${c.container}/${c.cause}`)) {
      const first = group.items.find((c) => c.match) ?? group.items[0];
      if (!first) continue;
      const pod = first.pod;
      const namespace = pod.metadata?.namespace ?? '';
      const terminated = lastTermination(first.status);
      const match = first.match;
      const pods = group.items.map((c) => podName(c.pod));
      const restarts = group.items.map((c) => c.status.restartCount ?? 0);
      const dependency = first.dependency ? dependencyReport(first.dependency, namespace) : undefined;
      const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === first.container);
      const host = match?.host ?? first.dependency?.host ?? '<host>';
      const port = (match?.port ?? first.dependency?.port) === undefined ? '<port>' : String(match?.port ?? first.dependency?.port);
      const configured = !match && first.dependency ? first.dependency : undefined;
      const summary = match
        ? `${match.signature.title}${match.host === undefined ? '' : ` (${endpointText(match.host, match.port)})`}${match.detail === undefined ? '' : ` — ${match.detail}`}`
        : configured
          ? `no log available; its configured dependency ${endpointText(configured.host, configured.port)} is down`
          : first.log === undefined ? 'no log available' : 'no known error in the log';
      const events = [...new Map(group.items.flatMap((c) => podEvents(model, c.pod, c.container)).filter((e) => e.type === 'Warning').map((e) => [`${e.reason ?? ''}${e.message ?? ''}`, e])).values()];
      const fix: FixStep[] = [
        { description: 'Read the log of the crashed instance', command: `kubectl -n ${namespace} logs ${podName(pod)} -c ${first.container} --previous`, mutates: false },
      ];
      const missingSources = first.cause === 'missing-config' && match?.detail ? missingVariableSources(model, spec, match.detail, namespace) : { evidence: [], causes: [] };
      if (first.cause === 'missing-config' && match?.detail) {
        fix.push(...variableSources(model, match.detail, namespace, workloadName(model, pod), first.container));
      }
      if (dependency) fix.push(...dependency.fix);
      if (match && (first.cause === 'credentials-refused' || first.cause === 'app-exception' || first.cause === 'broken-image')) fix.push({ description: match.signature.fix, mutates: false });
      yield {
        subject: group.workload,
        messageId: 'crashing',
        cause: first.cause,
        key: `${first.container}/${first.cause}`,
        severity: group.items.some((c) => c.backOff) ? 'critical' : 'warning',
        data: {
          container: first.container,
          pods: listNames(pods),
          pod: podName(pod),
          restarts: Math.max(...restarts),
          exit: describeExit(terminated),
          summary,
          workload: workloadName(model, pod),
          image: spec?.image ?? first.status.image ?? '<image>',
          host,
          port,
          endpoint: match?.host !== undefined ? endpointText(match.host, match.port) : first.dependency ? endpointText(first.dependency.host, first.dependency.port) : 'a dependency',
          detail: match?.detail ?? '<name>',
          logNote: first.log === undefined ? 'no log of the crashed container was available; read it with the command below.' : 'the log shows no known error signature; read its last lines below.',
        },
        evidence: [
          `${group.items.length} pod(s) ${group.items.some((c) => c.backOff) ? 'in CrashLoopBackOff' : 'restarting'}: ${listNames(pods.map((p, i) => `${p} (${String(restarts[i] ?? 0)} restarts)`))}`,
          `last termination of ${first.container}: ${describeExit(terminated)}${terminated?.finishedAt ? ` at ${terminated.finishedAt}` : ''}`,
          ...(match ? [`log line ${String(match.lineNumber)}: ${match.line}`] : []),
          ...(dependency ? dependency.evidence : []),
          ...missingSources.evidence,
          ...(match ? [`${match.signature.title}: ${match.signature.cause}`] : []),
          ...(match ? [] : lastLines(first.log, 3).map((l) => `log: ${l}`)),
          ...events.slice(-2).map(eventEvidence),
        ],
        ...(fix.length ? { fix } : {}),
        ...(dependency?.causes.length || missingSources.causes.length ? { causedBy: [...(dependency?.causes ?? []), ...missingSources.causes] } : {}),
      };
    }
  },
});

