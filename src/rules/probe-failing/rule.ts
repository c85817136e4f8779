import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Container, ContainerStatus, KubeEvent, KubeObject, Pod, Probe } from '../../model/k8s.js';
import { eventEvidence, groupByWorkload, listNames, podEvents, podName, workloadName, workloadOf } from '../support/pods.js';
import { containerSpec, describeExit, lastTermination } from '../support/terminations.js';

type Cause = 'wrong-path' | 'app-error' | 'wrong-port' | 'not-listening' | 'timeout' | 'liveness-kills-startup' | 'other';
type ProbeKind = 'readiness' | 'liveness' | 'startup';

const probeField: Readonly<Record<ProbeKind, 'readinessProbe' | 'livenessProbe' | 'startupProbe'>> = {
  readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe',
};

const probeTitle: Readonly<Record<ProbeKind, string>> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };

interface ProbeFailure {
  readonly pod: Pod;
  readonly container: string;
  readonly kind: ProbeKind;
  readonly events: KubeEvent[];
  readonly message: string;
}

/** `Readiness probe failed: HTTP probe failed with statuscode: 404` → readiness. */
function probeKindOf(message: string): ProbeKind | undefined {
  const match = /^(Readiness|Liveness|Startup) probe (?:failed|errored)/i.exec(message);
  return match?.[1] ? (match[1].toLowerCase() as ProbeKind) : undefined;
}

function failuresOf(model: ClusterModel, pod: Pod): ProbeFailure[] {
  const events = podEvents(model, pod);
  if (!events.some((event) => event.reason === 'Unhealthy')) return [];
  const byContainer = new Map<string, ProbeFailure>();
  for (const event of events) {
    if (event.reason !== 'Unhealthy') continue;
    const message = event.message ?? event.note ?? '';
    const kind = probeKindOf(message);
    if (!kind) continue;
    const fieldPath = (event.involvedObject ?? event.regarding)?.fieldPath ?? '';
    const container = /\{([^}]+)\}/.exec(fieldPath)?.[1] ?? pod.spec?.containers?.[0]?.name ?? '';
    const key = `${container}/${kind}`;
    const existing = byContainer.get(key);
    if (existing) {
      existing.events.push(event);
      byContainer.set(key, { ...existing, message });
    } else {
      byContainer.set(key, { pod, container, kind, events: [event], message });
    }
  }
  return [...byContainer.values()].filter((f) => stillFailing(f));
}

/** A readiness failure of a container that is Ready now is history, not a problem. */
function stillFailing(failure: ProbeFailure): boolean {
  const status = failure.pod.status?.containerStatuses?.find((s) => s.name === failure.container);
  if (failure.kind === 'liveness') return (status?.restartCount ?? 0) > 0 || status?.ready !== true;
  return status?.ready !== true;
}

/** The port number a probe targets, named ports resolved against the container's ports. */
function probePort(probe: Probe | undefined, container: Container | undefined): { port?: number; named?: string } {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  if (typeof port === 'number') return { port };
  if (typeof port === 'string') {
    if (/^\d+$/.test(port)) return { port: Number(port) };
    const declared = container?.ports?.find((p) => p.name === port)?.containerPort;
    return { named: port, ...(declared === undefined ? {} : { port: declared }) };
  }
  return {};
}

/** Ports the app says it listens on: `listening on :8080`, `Uvicorn running on http://0.0.0.0:8000`. */
function listeningPorts(log: string | undefined): number[] {
  if (log === undefined) return [];
  const ports = new Set<number>();
  for (const match of log.matchAll(/(?:listen(?:ing)?|running|started|serving|bound)\b[^\n]{0,60}?(?::|port\s*)(\d{2,5})\b/gi)) {
    const port = Number(match[1]);
    if (port > 0 && port < 65536) ports.add(port);
  }
  return [...ports];
}

export function classifyProbeFailure(message: string, portDeclared: boolean, listensElsewhere: boolean): Cause {
  const code = /statuscode: (\d{3})/i.exec(message)?.[1];
  if (code === '404') return 'wrong-path';
  if (code?.startsWith('5')) return 'app-error';
  if (/connection refused/i.test(message)) return !portDeclared || listensElsewhere ? 'wrong-port' : 'not-listening';
  if (/context deadline exceeded|Client\.Timeout|i\/o timeout|timed out|timeout: failed to connect/i.test(message)) return 'timeout';
  return 'other';
}

/** The JSON-patch path of a container's probe inside the object people edit. */
function probePatchPath(workload: KubeObject, index: number, field: string): string {
  const spec = workload.kind === 'Pod' ? '/spec' : workload.kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
  return `${spec}/containers/${String(index)}/${field}`;
}

function runTime(status: ContainerStatus): string {
  const terminated = lastTermination(status);
  const seconds = (Date.parse(terminated?.finishedAt ?? '') - Date.parse(terminated?.startedAt ?? '')) / 1000;
  return Number.isFinite(seconds) ? `${String(Math.round(seconds))}s (${describeExit(terminated)})` : 'unknown';
}

function describeProbe(probe: Probe | undefined): string {
  if (!probe) return 'not set';
  const handler = probe.httpGet
    ? `httpGet ${probe.httpGet.path ?? '/'} on port ${String(probe.httpGet.port ?? '?')}`
    : probe.tcpSocket ? `tcpSocket on port ${String(probe.tcpSocket.port ?? '?')}`
      : probe.grpc ? `grpc on port ${String(probe.grpc.port ?? '?')}`
        : `exec ${(probe.exec?.command ?? []).join(' ')}`;
  return `${handler} (initialDelaySeconds ${String(probe.initialDelaySeconds ?? 0)}, periodSeconds ${String(probe.periodSeconds ?? 10)}, timeoutSeconds ${String(probe.timeoutSeconds ?? 1)}, failureThreshold ${String(probe.failureThreshold ?? 3)})`;
}

/**
 * Liveness kills the container before it is up: it was restarted for failing liveness, it
 * was never Ready in between, there is no startup probe, and each run lasted about as long
 * as the liveness grace window.
 */
function killedDuringStartup(failure: ProbeFailure, spec: Container | undefined): boolean {
  if (failure.kind !== 'liveness' || spec?.startupProbe) return false;
  const status = failure.pod.status?.containerStatuses?.find((s) => s.name === failure.container);
  if (!status || (status.restartCount ?? 0) === 0 || status.ready === true) return false;
  const probe = spec?.livenessProbe;
  const window = (probe?.initialDelaySeconds ?? 0) + (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3);
  const terminated = lastTermination(status);
  const ran = (Date.parse(terminated?.finishedAt ?? '') - Date.parse(terminated?.startedAt ?? '')) / 1000;
  return Number.isFinite(ran) && ran <= window + 2 * (probe?.periodSeconds ?? 10) + 30;
}

export default defineRule({
  id: 'probe-failing',
  meta: {
    title: 'Health probe failing',
    description: 'Readiness, liveness or startup probes fail (Unhealthy events): the pod gets no traffic or is restarted.',
    category: 'pods',
    severity: 'warning',
    sources: ['cluster'],
  },
  messages: {
    failing: '{{probe}} probe of {{container}} fails in {{pods}}: {{reason}}',
  },
  runbook: {
    symptoms: 'Pods run but stay 0/1 READY (readiness), or restart with exit code 137/143 after `Liveness probe failed` events; the Service has no ready endpoints.',
    rootCause: 'The kubelet\'s health check does not get a healthy answer from the container.',
    diagnosis: [
      { description: 'Read the probe events and the probe configuration', command: 'kubectl -n {{namespace}} describe pod {{pod}}' },
      { description: 'Call the endpoint yourself', command: 'kubectl -n {{namespace}} port-forward pod/{{pod}} {{port}}:{{port}}' },
      { description: '…then, in another terminal', command: 'curl -i http://localhost:{{port}}{{path}}' },
    ],
    fix: [{ description: 'Point the probe at an endpoint and port the app serves, with timings that fit its start-up', command: 'kubectl -n {{namespace}} edit {{workload}}', mutates: true }],
    prevention: 'Give every service a cheap `/healthz`-style endpoint, test the probes with the image in CI, use a startupProbe for slow starters, and keep liveness checks independent of dependencies.',
    causes: {
      'wrong-path': {
        title: 'The probe path does not exist (HTTP 404)',
        rootCause: 'The app answers 404 on {{path}}: the probe asks for a path the app does not serve (e.g. /health vs /healthz, a missing base path).',
        fix: [{ description: 'Point the probe at the path the app serves', command: 'kubectl -n {{namespace}} patch {{workload}} --type=json -p \'[{"op":"replace","path":"{{patchPath}}/httpGet/path","value":"<health-path>"}]\'', mutates: true }],
      },
      'app-error': {
        title: 'The app reports itself unhealthy (HTTP 5xx)',
        rootCause: 'The health endpoint answers {{status}}: the app is up but reports a failure, often a dependency its health check includes (database, cache).',
        fix: [{ description: 'Read why the app reports unhealthy', command: 'kubectl -n {{namespace}} logs {{pod}} -c {{container}} --tail=100' }],
      },
      'wrong-port': {
        title: 'The probe targets a port the app does not listen on',
        rootCause: 'Connections to port {{port}} are refused: {{portNote}}',
        fix: [{ description: 'Point the probe at the port the app listens on', command: 'kubectl -n {{namespace}} patch {{workload}} --type=json -p \'[{"op":"replace","path":"{{patchPath}}/{{handler}}/port","value":{{listenPort}}}]\'', mutates: true }],
      },
      'not-listening': {
        title: 'The app is not listening yet (connection refused)',
        rootCause: 'Connections to port {{port}} are refused although the container declares it: the app has not opened the port yet (slow start) or binds to 127.0.0.1 only.',
        fix: [
          { description: 'Check the address the app binds to (0.0.0.0, not localhost)', command: 'kubectl -n {{namespace}} logs {{pod}} -c {{container}} --tail=50' },
          { description: 'Give slow starters a startupProbe instead of a long initialDelaySeconds', command: 'kubectl -n {{namespace}} edit {{workload}}', mutates: true },
        ],
      },
      timeout: {
        title: 'The probe times out',
        rootCause: 'The endpoint does not answer within {{timeoutSeconds}}s: the app is overloaded, CPU-throttled, or the health check does slow work (database queries).',
        fix: [{ description: 'Allow a longer timeout (and keep the health check cheap)', command: 'kubectl -n {{namespace}} patch {{workload}} --type=json -p \'[{"op":"replace","path":"{{patchPath}}/timeoutSeconds","value":5}]\'', mutates: true }],
      },
      'liveness-kills-startup': {
        title: 'Liveness kills the container before it has started',
        rootCause: 'The liveness probe starts checking after {{initialDelay}}s and gives up after {{failureWindow}}s, but the app needs longer to start: it is killed ({{restarts}} restarts) before it ever gets up.',
        fix: [{
          description: 'Add a startupProbe that allows 5 minutes to start; liveness only begins after it succeeds',
          command: 'kubectl -n {{namespace}} patch {{workload}} --type=json -p \'[{"op":"add","path":"{{startupPatchPath}}","value":{{startupProbe}}}]\'',
          mutates: true,
        }],
      },
      other: {
        title: 'The probe fails',
        rootCause: 'The probe fails: {{reason}}',
        fix: [{ description: 'Run the probe command yourself in the container', command: 'kubectl -n {{namespace}} exec {{pod}} -c {{container}} -- {{execCommand}}' }],
      },
    },
  },
  *detect(model) {
    const failures = model.list('Pod').flatMap((pod) => failuresOf(model, pod));
    for (const group of groupByWorkload(model, failures, (f) => `${f.container}/${f.kind}`)) {
      const first = group.items[0];
      if (!first) continue;
      const pod = first.pod;
      const workload = workloadOf(model, pod);
      const spec = containerSpec(pod.spec, first.container);
      const index = Math.max(0, (pod.spec?.containers ?? []).findIndex((c) => c.name === first.container));
      const probe = spec?.[probeField[first.kind]];
      const { port, named } = probePort(probe, spec);
      const declared = (spec?.ports ?? []).map((p) => p.containerPort).filter((p): p is number => p !== undefined);
      const portDeclared = port !== undefined && (declared.length === 0 || declared.includes(port));
      const log = model.logOf(pod.metadata?.namespace ?? '', podName(pod), first.container, false) ?? model.crashLogOf(pod, first.container);
      const listens = listeningPorts(log);
      const listensElsewhere = port !== undefined && listens.length > 0 && !listens.includes(port);
      const cause = killedDuringStartup(first, spec) ? 'liveness-kills-startup' : classifyProbeFailure(first.message, portDeclared, listensElsewhere);
      const path = probe?.httpGet?.path ?? '/';
      const patchPath = probePatchPath(workload, index, probeField[first.kind]);
      const status = pod.status?.containerStatuses?.find((s) => s.name === first.container);
      const restarts = Math.max(0, ...group.items.map((f) => f.pod.status?.containerStatuses?.find((s) => s.name === f.container)?.restartCount ?? 0));
      const workloadPods = model.podsOf(workload);
      const allUnready = first.kind === 'readiness' && workloadPods.length > 0 && group.items.length >= workloadPods.length;
      const livenessRestarts = first.kind === 'liveness' && restarts > 0;
      const startupProbe = JSON.stringify({ ...(probe?.httpGet ? { httpGet: probe.httpGet } : probe?.tcpSocket ? { tcpSocket: probe.tcpSocket } : probe?.grpc ? { grpc: probe.grpc } : { exec: probe?.exec ?? {} }), periodSeconds: 10, failureThreshold: 30 });
      const pathLine = log?.split('\n').reverse().find((l) => probe?.httpGet?.path !== undefined && l.includes(probe.httpGet.path) && /\b[1-5]\d\d\b/.test(l));
      const events = group.items.flatMap((f) => f.events);
      const latest = events.reduce<KubeEvent | undefined>((a, e) => (a === undefined || (e.lastTimestamp ?? '') >= (a.lastTimestamp ?? '') ? e : a), undefined);
      yield {
        subject: group.workload,
        messageId: 'failing',
        cause,
        key: `${first.container}/${first.kind}`,
        severity: allUnready || livenessRestarts ? 'critical' : 'warning',
        data: {
          probe: probeTitle[first.kind],
          container: first.container,
          pods: listNames(group.items.map((f) => podName(f.pod))),
          pod: podName(pod),
          reason: first.message.replace(/^(Readiness|Liveness|Startup) probe (failed|errored):\s*/i, '').trim() || 'no detail',
          workload: workloadName(model, pod),
          port: port ?? '<port>',
          path,
          status: /statuscode: (\d{3})/i.exec(first.message)?.[1] ?? '5xx',
          patchPath,
          startupPatchPath: probePatchPath(workload, index, 'startupProbe'),
          startupProbe,
          handler: probe?.httpGet ? 'httpGet' : probe?.grpc ? 'grpc' : 'tcpSocket',
          listenPort: listens[0] ?? declared[0] ?? '<port>',
          portNote: named !== undefined && port === undefined
            ? `the probe names port "${named}", which the container does not declare.`
            : listensElsewhere
              ? `the app logs that it listens on ${listens.join(', ')}.`
              : `the container declares ${declared.length ? declared.join(', ') : 'no ports'}.`,
          timeoutSeconds: probe?.timeoutSeconds ?? 1,
          initialDelay: probe?.initialDelaySeconds ?? 0,
          failureWindow: (probe?.initialDelaySeconds ?? 0) + (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3),
          restarts,
          execCommand: (probe?.exec?.command ?? ['<probe command>']).join(' '),
        },
        evidence: [
          ...(latest ? [eventEvidence(latest)] : []),
          `${probeField[first.kind]}: ${describeProbe(probe)}`,
          ...(pathLine ? [`app log: ${pathLine.trim().slice(0, 240)}`] : []),
          ...(declared.length ? [`container ports: ${declared.join(', ')}`] : []),
          ...(listens.length ? [`the app listens on ${listens.join(', ')} (from its log)`] : []),
          ...(first.kind === 'liveness' ? podEvents(model, pod, first.container).filter((e) => e.reason === 'Killing').slice(-1).map(eventEvidence) : []),
          ...(status && (status.restartCount ?? 0) > 0 ? [`${podName(pod)}: ${String(status.restartCount ?? 0)} restarts, last run ${runTime(status)}`] : []),
          ...(allUnready ? [`all ${String(workloadPods.length)} pod(s) of ${workloadName(model, pod)} are unready: its Service gets no traffic`] : []),
        ],
      };
    }
  },
});
