import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/k8s.js';
import { renderJson } from '../../src/report/json.js';
import { analyze } from '../../src/scan.js';
import { inferCaptureTime } from '../../src/sources/capture-time.js';
import { readLive } from '../../src/sources/live.js';
import { ApiClient, loadKubeConfig } from '../../src/sources/live/api-client.js';
import { kindSpecs } from '../../src/sources/live/kinds.js';
import { Redactor } from '../../src/sources/redact.js';
import { readSnapshot } from '../../src/sources/snapshot.js';
import { demoPath } from '../../src/cli/main.js';
import { runCli } from './support/cli.js';
import { demoState } from './support/demo-state.js';
import { FakeApiServer, kubernetes120 } from './support/fake-apiserver.js';
import type { FakeApiServerOptions } from './support/fake-apiserver.js';

const servers: FakeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function serve(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const server = await new FakeApiServer(options).start();
  servers.push(server);
  return server;
}

function clientOf(server: FakeApiServer): ApiClient {
  return new ApiClient(loadKubeConfig({ kubeconfig: server.kubeconfig(), env: {} }), { retry: { attempts: 3, baseDelayMs: 5 } });
}

const key = Buffer.alloc(32, 7);

describe('live source against a loopback API server', () => {
  it('finds exactly what a snapshot scan of the same state finds', async () => {
    const state = demoState();
    const server = await serve({ objects: state.objects, logs: state.logs });
    const live = await readLive({ client: clientOf(server), redactor: new Redactor(key) });
    const offline = await readSnapshot(demoPath, new Redactor(key));
    const now = inferCaptureTime(offline.objects) ?? new Date();
    const source = { type: 'live' as const, name: 'fake' };
    const liveResult = analyze(live, { source, modelSource: 'cluster', now });
    const offlineResult = analyze(offline, { source, modelSource: 'cluster', now });
    expect(live.notes).toEqual([]);
    expect(live.objects).toHaveLength(offline.objects.length);
    expect(liveResult.findings.length).toBeGreaterThan(0);
    expect(JSON.parse(renderJson(liveResult))).toEqual(JSON.parse(renderJson(offlineResult)));
    // kind and apiVersion are set on list items, which carry neither on the wire
    expect(live.objects.every((o) => typeof o.kind === 'string' && typeof o.apiVersion === 'string')).toBe(true);
  });

  it('sends GET requests only, through the CLI as a user runs it', async () => {
    const state = demoState();
    const server = await serve({ objects: state.objects, logs: state.logs });
    const run = await runCli(['scan', '--kubeconfig', server.kubeconfig(), '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { source: { type: string; name: string }; findings: { rule: string }[] };
    expect(result.source).toEqual({ type: 'live', name: 'fake' });
    expect(result.findings.map((f) => f.rule)).toContain('image-pull-failed');
    expect(server.requests.length).toBeGreaterThan(kindSpecs.length);
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('makes O(kinds) LIST calls for a few thousand objects, never one per pod', async () => {
    const objects = manyPods(3000);
    const server = await serve({ objects });
    const live = await readLive({ client: clientOf(server), redactor: new Redactor(key), pageSize: 500 });
    expect(live.objects.filter((o) => o.kind === 'Pod')).toHaveLength(3000);
    expect(live.objects.filter((o) => o.kind === 'Event')).toHaveLength(3000);
    const calls = server.listCalls();
    const paths = new Set(calls.map((c) => c.path));
    const kindsServed = kindSpecs.filter((s) => server.listCalls().some((c) => c.path.endsWith(`/${s.resource}`))).length;
    expect(paths.size).toBeLessThanOrEqual(kindSpecs.length);
    // one call per kind, plus the extra pages of pods (6) and events (6)
    expect(calls).toHaveLength(paths.size + 5 + 5);
    expect(kindsServed).toBeGreaterThan(20);
    expect(calls.filter((c) => c.path === '/api/v1/pods')).toHaveLength(6);
    expect(calls.filter((c) => c.path === '/api/v1/events')).toHaveLength(6);
    expect(server.requests.some((r) => /\/pods\/[^/]+$/.test(r.path))).toBe(false);
    expect(calls.every((c) => c.query.get('limit') === '500')).toBe(true);
  });

  it('skips a kind that answers 403 with a note naming it and what it hides', async () => {
    const state = demoState();
    const server = await serve({
      objects: state.objects,
      logs: state.logs,
      fault: (r) => (r.path === '/api/v1/secrets' ? { status: 403, reason: 'Forbidden', message: 'secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" at the cluster scope' } : undefined),
    });
    const run = await runCli(['scan', '--kubeconfig', server.kubeconfig(), '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { notes: string[]; summary: { objects: number } };
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(/^Secret \(v1 secrets in all namespaces\) could not be read: forbidden by RBAC/);
    expect(result.notes[0]).toContain('missing Secret references');
    expect(result.summary.objects).toBe(state.objects.filter((o) => o.kind !== 'Secret').length);
  });

  it('restarts a list whose continue token expired (410 Gone) and keeps each object once', async () => {
    let expired = false;
    const server = await serve({
      objects: manyPods(120),
      fault: (r) => {
        if (r.path === '/api/v1/pods' && r.query.get('continue') && !expired) {
          expired = true;
          return { status: 410, reason: 'Expired', message: 'The provided continue parameter is too old to display a consistent list result.' };
        }
        return undefined;
      },
    });
    const live = await readLive({ client: clientOf(server), redactor: new Redactor(key), pageSize: 50 });
    const pods = live.objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata?.name);
    expect(pods).toHaveLength(120);
    expect(new Set(pods).size).toBe(120);
    expect(live.notes).toEqual([]);
    // 2 pages, 410 on the second, then 3 pages from the start
    expect(server.listCalls().filter((c) => c.path === '/api/v1/pods')).toHaveLength(5);
  });

  it('retries 5xx and connection resets, then gives a partial result with a note', async () => {
    let failures = 0;
    const server = await serve({
      objects: manyPods(10),
      fault: (r) => {
        if (r.path === '/api/v1/pods' && failures < 2) {
          failures++;
          return failures === 1 ? 'reset' : { status: 503, reason: 'ServiceUnavailable', message: 'etcdserver: leader changed' };
        }
        if (r.path === '/api/v1/configmaps') return { status: 500, reason: 'InternalError', message: 'etcdserver: request timed out' };
        return undefined;
      },
    });
    const live = await readLive({ client: clientOf(server), redactor: new Redactor(key) });
    expect(live.objects.filter((o) => o.kind === 'Pod')).toHaveLength(10);
    expect(live.notes).toEqual([
      'partial result: ConfigMap (v1 configmaps in all namespaces) could not be listed (500 InternalError: etcdserver: request timed out), after retries. Findings that need it are missing: missing ConfigMap references and keys.',
    ]);
    expect(server.requests.filter((r) => r.path === '/api/v1/configmaps')).toHaveLength(3);
  });

  it('uses the versions a v1.20 server serves and skips absent add-ons quietly', async () => {
    const state = demoState();
    const server = await serve({ objects: state.objects.filter((o) => !String(o.apiVersion).startsWith('external-secrets')), served: kubernetes120 });
    const live = await readLive({ client: clientOf(server), redactor: new Redactor(key) });
    expect(live.notes).toEqual([]);
    const paths = server.listCalls().map((c) => c.path);
    expect(paths).toContain('/apis/policy/v1beta1/poddisruptionbudgets');
    expect(paths).toContain('/apis/batch/v1beta1/cronjobs');
    expect(paths).toContain('/apis/discovery.k8s.io/v1beta1/endpointslices');
    expect(paths.some((p) => p.includes('external-secrets') || p.includes('cert-manager'))).toBe(false);
    const cronJob = live.objects.find((o) => o.kind === 'CronJob');
    expect(cronJob?.apiVersion).toBe('batch/v1beta1');
  });

  it('fetches previous logs only for crash-looping containers, bounded, with credentials redacted', async () => {
    const state = demoState();
    const crashing = state.objects.find((o) => o.kind === 'Pod' && JSON.stringify(o.status).includes('CrashLoopBackOff')) as KubeObject;
    const pod = crashing.metadata?.name ?? '';
    const container = (crashing.status as { containerStatuses: { name: string }[] }).containerStatuses[0]?.name ?? '';
    state.logs.set(`shop/${pod}/${container}/previous`, 'connecting to postgres://shop:hunter2secret@postgres:5432/shop\nAuthorization: Bearer abcdefghijklmnop123\nfatal: connection refused');
    const server = await serve({ objects: state.objects, logs: state.logs });
    const live = await readLive({ client: clientOf(server), redactor: new Redactor(key), logs: { tailLines: 50, limitBytes: 4096 } });
    const logCalls = server.requests.filter((r) => r.path.endsWith('/log'));
    const crashLooping = state.objects.filter((o) => o.kind === 'Pod' && JSON.stringify(o.status).includes('CrashLoopBackOff'));
    expect(logCalls.length).toBeGreaterThanOrEqual(crashLooping.length);
    expect(logCalls.length).toBeLessThan(state.objects.filter((o) => o.kind === 'Pod').length);
    expect(logCalls.every((c) => c.query.get('tailLines') === '50' && c.query.get('limitBytes') === '4096')).toBe(true);
    expect(logCalls.find((c) => c.path === `/api/v1/namespaces/shop/pods/${pod}/log`)?.query.get('previous')).toBe('true');
    const log = live.logs.find((l) => l.pod === pod && l.container === container);
    expect(log?.previous).toBe(true);
    expect(log?.text).toContain('fatal: connection refused');
    expect(log?.text).not.toContain('hunter2secret');
    expect(log?.text).not.toContain('abcdefghijklmnop123');
  });

  it('lists namespaced kinds inside the namespace given with -n', async () => {
    const state = demoState();
    const server = await serve({ objects: state.objects, logs: state.logs });
    const run = await runCli(['scan', '-n', 'shop', '--kubeconfig', server.kubeconfig(), '--format', 'json']);
    expect(run.code).toBe(0);
    const paths = server.listCalls().map((c) => c.path);
    expect(paths).toContain('/api/v1/namespaces/shop/pods');
    expect(paths).toContain('/apis/apps/v1/namespaces/shop/deployments');
    expect(paths).toContain('/api/v1/nodes');
    expect(paths).not.toContain('/api/v1/pods');
    const findings = (JSON.parse(run.stdout) as { findings: { object: { namespace?: string } }[] }).findings;
    expect(findings.every((f) => f.object.namespace === undefined || f.object.namespace === 'shop')).toBe(true);
  });

  it('exits 2 with a message when the API server cannot be reached', async () => {
    const server = await serve({ objects: [] });
    const kubeconfig = server.kubeconfig();
    await server.stop();
    servers.pop();
    const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--request-timeout', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^kubetriage: cannot read the API server at http:\/\/127\.0\.0\.1:\d+ \(context fake\): Connection failed/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 when no kubeconfig exists and it does not run in a cluster', async () => {
    const run = await runCli(['scan'], { env: { HOME: '/nonexistent' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no cluster configured');
  });

  it('shows progress on stderr only on a terminal or with --verbose', async () => {
    const server = await serve({ objects: manyPods(20) });
    const quiet = await runCli(['scan', '--kubeconfig', server.kubeconfig(), '--format', 'json']);
    expect(quiet.stderr).toBe('');
    const verbose = await runCli(['scan', '--kubeconfig', server.kubeconfig(), '--format', 'json', '--verbose']);
    expect(verbose.stderr).toMatch(/^listed \d+\/\d+ kinds, 41 objects read$/m);
    const tty = await runCli(['scan', '--kubeconfig', server.kubeconfig(), '--format', 'json'], { stderrIsTTY: true });
    expect(tty.stderr).toContain('\r');
    expect(tty.stderr).toContain('41 objects read');
  });
});

/** n running pods in namespace load, each with one Normal event. */
function manyPods(n: number): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [{ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'load', uid: 'ns-load' }, status: { phase: 'Active' } }];
  for (let i = 0; i < n; i++) {
    const name = `web-${String(i).padStart(5, '0')}`;
    objects.push({
      kind: 'Pod', apiVersion: 'v1',
      metadata: { name, namespace: 'load', uid: `pod-${i}`, labels: { app: 'web' }, creationTimestamp: '2026-11-23T09:00:00Z' },
      spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.27' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }],
        containerStatuses: [{ name: 'web', image: 'nginx:1.27', ready: true, started: true, restartCount: 0, state: { running: { startedAt: '2026-11-23T09:00:05Z' } } }],
      },
    });
    objects.push({
      kind: 'Event', apiVersion: 'v1',
      metadata: { name: `${name}.17a`, namespace: 'load', uid: `ev-${i}` },
      involvedObject: { kind: 'Pod', namespace: 'load', name, uid: `pod-${i}` },
      reason: 'Started', message: 'Started container web', type: 'Normal', count: 1,
      firstTimestamp: '2026-11-23T09:00:05Z', lastTimestamp: '2026-11-23T09:00:05Z', source: { component: 'kubelet', host: 'node-1' },
    });
  }
  return objects;
}
