import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLive } from '../../src/sources/live.js';
import { ApiClient, loadKubeConfig } from '../../src/sources/live/api-client.js';
import type { Query } from '../../src/sources/live/api-client.js';
import { Redactor } from '../../src/sources/redact.js';
import { runCli } from '../live/support/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tools = join(root, '..', 'shared', 'tools', 'kube-apiserver');
const home = process.env.KUBE_APISERVER_HOME ?? join(homedir(), '.cache', 'kube-apiserver-1.20');
const built = existsSync(join(home, 'bin', 'kube-apiserver')) && existsSync(join(home, 'bin', 'kube-controller-manager'));
const available = existsSync(join(tools, 'start.sh')) && built;
if (!available) {
  console.warn(`cluster tier skipped: ${existsSync(tools) ? `kube-apiserver is not built (run ${join(tools, 'build.sh')})` : `${tools} is not there (it ships with the project's CI machine, not with the package)`}`);
}

// Ports and a run directory of our own, so a developer's running test server is left alone.
const env = {
  ...process.env,
  KUBE_APISERVER_RUN: mkdtempSync(join(tmpdir(), 'kubetriage-kas-')),
  KAS_PORT: '26443', ETCD_PORT: '33790', ETCD_PEER_PORT: '33800', KCM_PORT: '20257', WITH_KCM: '1',
};
let kubeconfig = '';
let viewerKubeconfig = '';

function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function apply(object: unknown): void {
  execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], { input: JSON.stringify(object), encoding: 'utf8' });
}

async function podOf(app: string, namespace = 'shop'): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const name = kubectl('-n', namespace, 'get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[0].metadata.name}').trim();
    if (name) return name;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no pod for app=${app}: is the controller-manager running?`);
}

function patchStatus(pod: string, status: unknown): void {
  kubectl('-n', 'shop', 'patch', 'pod', pod, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status }));
}

function deployment(name: string, image: string): unknown {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop', labels: { app: name } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image, ports: [{ containerPort: 8080 }] }] } } },
  };
}

function event(pod: string, reason: string, message: string, component: string): unknown {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name: `${pod}.${reason.toLowerCase()}`, namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: pod, apiVersion: 'v1' },
    reason, message, type: 'Warning', count: 7, firstTimestamp: now, lastTimestamp: now, source: { component },
  };
}

const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

describe.skipIf(!available)('live scan of a real kube-apiserver v1.20', () => {
  beforeAll(async () => {
    const out = execFileSync(join(tools, 'start.sh'), { env, encoding: 'utf8' }).trim().split('\n');
    kubeconfig = out.at(-1) ?? '';
    viewerKubeconfig = join(env.KUBE_APISERVER_RUN, 'kubeconfig-viewer');
    kubectl('create', 'namespace', 'shop');
    for (let i = 0; i < 100 && !kubectl('-n', 'shop', 'get', 'serviceaccounts', '-o', 'name').includes('default'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    apply(deployment('api', 'registry.example/shop/api:1.4.2'));
    apply(deployment('web', 'registry.example/shop/web:9.9.9'));
    apply(deployment('reports', 'registry.example/shop/reports:2.0.0'));
    apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } });
    apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout', namespace: 'shop' }, spec: { selector: { app: 'checkout' }, ports: [{ port: 80, targetPort: 8080 }] } });
    apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'correct-horse-battery-staple' } });
    apply({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'api' } } } });

    const api = await podOf('api');
    patchStatus(api, {
      phase: 'Running', startTime: startedAt,
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [{
        name: 'api', image: 'registry.example/shop/api:1.4.2', imageID: '', ready: false, restartCount: 12,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=api pod=${api}_shop` } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt, finishedAt: startedAt } },
      }],
    });
    apply(event(api, 'BackOff', 'Back-off restarting failed container', 'kubelet'));

    const web = await podOf('web');
    patchStatus(web, {
      phase: 'Pending', startTime: startedAt,
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [{ name: 'web', image: 'registry.example/shop/web:9.9.9', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example/shop/web:9.9.9"' } } }],
    });
    apply(event(web, 'Failed', 'Failed to pull image "registry.example/shop/web:9.9.9": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example/shop/web:9.9.9": failed to resolve reference "registry.example/shop/web:9.9.9": registry.example/shop/web:9.9.9: not found', 'kubelet'));

    const reports = await podOf('reports');
    patchStatus(reports, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }] });
    apply(event(reports, 'FailedScheduling', '0/3 nodes are available: 3 Insufficient memory.', 'default-scheduler'));
  });

  afterAll(() => {
    if (kubeconfig) execFileSync(join(tools, 'stop.sh'), { env, stdio: 'ignore' });
  });

  it('finds the crash loop, the pull failure, the Pending pod and the Service without endpoints', async () => {
    const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', 'json'], { now: new Date() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { findings: { rule: string; object: { kind: string; namespace?: string; name: string } }[]; notes: string[] };
    const found = result.findings.filter((f) => f.object.namespace === 'shop').map((f) => `${f.rule} ${f.object.kind}/${f.object.name}`);
    expect(found).toContain('image-pull-failed Deployment/web');
    expect(found.filter((f) => f.startsWith('crash-loop '))).not.toEqual([]);
    expect(found.filter((f) => f.startsWith('pod-unschedulable '))).not.toEqual([]);
    expect(found).toContain('service-no-endpoints Service/checkout');
    expect(run.stdout).not.toContain('correct-horse-battery-staple');
  });

  it('reads the older API versions v1.20 serves', async () => {
    const client = new ApiClient(loadKubeConfig({ kubeconfig, env: {} }));
    const live = await readLive({ client, redactor: new Redactor(), namespace: 'shop' });
    expect(live.objects.find((o) => o.kind === 'PodDisruptionBudget')?.apiVersion).toBe('policy/v1beta1');
    expect(live.notes).toEqual([]);
  });

  it('turns a real RBAC denial into a note and keeps what it could read', async () => {
    apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pods-only', namespace: 'shop' }, rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'events', 'deployments', 'replicasets'], verbs: ['get', 'list'] }] });
    apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'viewer-pods-only', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods-only' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = await runCli(['scan', '-n', 'shop', '--kubeconfig', viewerKubeconfig, '--format', 'json'], { now: new Date() });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { findings: { rule: string }[]; notes: string[] };
    expect(result.notes.some((n) => n.startsWith('Secret (v1 secrets in namespace shop) could not be read: forbidden by RBAC') && n.includes('User "viewer" cannot list resource "secrets"'))).toBe(true);
    expect(result.notes.some((n) => n.startsWith('Node (v1 nodes) could not be read: forbidden by RBAC'))).toBe(true);
    expect(result.findings.map((f) => f.rule)).toContain('image-pull-failed');
  });

  it('pages through real lists with a small limit', async () => {
    for (let i = 0; i < 7; i++) apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}`, namespace: 'shop' }, data: { mode: 'on' } });
    const calls: { path: string; query: Query }[] = [];
    class CountingClient extends ApiClient {
      override getJson(path: string, query: Query = {}): Promise<unknown> {
        calls.push({ path, query });
        return super.getJson(path, query);
      }
    }
    const client = new CountingClient(loadKubeConfig({ kubeconfig, env: {} }));
    const live = await readLive({ client, redactor: new Redactor(), namespace: 'shop', pageSize: 2 });
    const configMaps = live.objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata?.name);
    const expected = kubectl('-n', 'shop', 'get', 'configmaps', '-o', 'name').trim().split('\n').length;
    expect(configMaps).toHaveLength(expected);
    expect(new Set(configMaps).size).toBe(expected);
    expect(calls.filter((c) => c.path === '/api/v1/namespaces/shop/configmaps')).toHaveLength(Math.ceil(expected / 2));
    expect(calls.filter((c) => c.query.continue !== undefined).length).toBeGreaterThan(3);
  });

  it('explains a rollout whose new ReplicaSet never becomes ready and exits 1', async () => {
    apply(deployment('cart', 'registry.example/shop/cart:3.1.0'));
    const pod = await podOf('cart');
    patchStatus(pod, {
      phase: 'Pending', startTime: startedAt,
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [{ name: 'cart', image: 'registry.example/shop/cart:3.1.0', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example/shop/cart:3.1.0"' } } }],
    });
    apply(event(pod, 'Failed', 'Failed to pull image "registry.example/shop/cart:3.1.0": rpc error: code = NotFound desc = registry.example/shop/cart:3.1.0: not found', 'kubelet'));
    const run = await runCli(['rollout', 'deployment/cart', '-n', 'shop', '--kubeconfig', kubeconfig, '--stall-after', '5s', '--timeout', '60s'], { now: new Date() });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`pod ${pod}: Pending: container cart ImagePullBackOff`);
    expect(run.stdout).toMatch(/Rollout of deployment\/cart is stuck: no progress for 5s/);
    expect(run.stdout).toContain('[image-pull-failed]');
    expect(run.stdout).toContain('kubectl rollout undo deployment/cart -n shop');
  });
});
