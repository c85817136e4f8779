import { afterEach, describe, expect, it } from 'vitest';
import { parseDuration, parseRolloutTarget } from '../../src/cli/rollout.js';
import { runCli } from './support/cli.js';
import { demoState } from './support/demo-state.js';
import { FakeApiServer } from './support/fake-apiserver.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** The demo's worker Deployment before the controller gave up on it. */
function withoutProgressDeadline(state: ReturnType<typeof demoState>): ReturnType<typeof demoState> {
  const worker = state.objects.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'worker') as { status: { conditions?: unknown[] } };
  worker.status.conditions = [];
  return state;
}

describe('kubetriage rollout', () => {
  it('explains a stalled rollout with the rules, prints the rollback command and exits 1', async () => {
    const state = demoState();
    server = await new FakeApiServer({ objects: state.objects, logs: state.logs }).start();
    const run = await runCli(['rollout', 'deployment/worker', '-n', 'shop', '--kubeconfig', server.kubeconfig(), '--stall-after', '1s', '--timeout', '30s']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Waiting for deployment\/worker in namespace shop: /);
    expect(run.stdout).toMatch(/^ {2}pod worker-64jprd4nzn-sss4j: Pending: container worker ImagePullBackOff/m);
    expect(run.stdout).toContain('Rollout of deployment/worker is stuck: rollout exceeded its progress deadline: ReplicaSet "worker-64jprd4nzn" has timed out progressing.');
    expect(run.stdout).toContain('CRITICAL shop/deployment/worker [image-pull-failed]');
    expect(run.stdout).toContain('kubectl rollout undo deployment/worker -n shop');
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('calls a rollout without progress for --stall-after stuck before its deadline passes', async () => {
    const state = withoutProgressDeadline(demoState());
    server = await new FakeApiServer({ objects: state.objects, logs: state.logs }).start();
    const run = await runCli(['rollout', 'deployment/worker', '-n', 'shop', '--kubeconfig', server.kubeconfig(), '--stall-after', '1s', '--timeout', '30s']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Rollout of deployment\/worker is stuck: no progress for 1s \(1 of 2 new replicas have been updated\)/);
    expect(run.stdout).toContain('[image-pull-failed]');
    // the workload and its pods are followed through watch streams, not polling
    const watches = server.requests.filter((r) => r.query.get('watch') === 'true').map((r) => r.path);
    expect(watches).toEqual(expect.arrayContaining(['/apis/apps/v1/namespaces/shop/deployments', '/api/v1/namespaces/shop/pods']));
  });

  it('exits 1 when --timeout passes first', async () => {
    const state = withoutProgressDeadline(demoState());
    server = await new FakeApiServer({ objects: state.objects, logs: state.logs }).start();
    const run = await runCli(['rollout', 'deployment/worker', '-n', 'shop', '--kubeconfig', server.kubeconfig(), '--stall-after', '1m', '--timeout', '1s']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Rollout of deployment/worker did not finish: timed out after 1s');
  });

  it('exits 0 when the watched rollout completes', async () => {
    const state = withoutProgressDeadline(demoState());
    server = await new FakeApiServer({ objects: state.objects, logs: state.logs }).start();
    const deployment = structuredClone(state.objects.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'worker')) as {
      metadata: { generation?: number }; spec: { replicas?: number }; status: Record<string, unknown>;
    };
    const replicas = deployment.spec.replicas ?? 1;
    const fake = server;
    setTimeout(() => {
      deployment.status = { observedGeneration: deployment.metadata.generation ?? 1, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
      fake.update(deployment);
    }, 1500);
    const run = await runCli(['rollout', 'deploy/worker', '-n', 'shop', '--kubeconfig', server.kubeconfig(), '--stall-after', '20s', '--timeout', '30s']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/deployment\/worker successfully rolled out\n$/);
  });

  it('exits 2 for a workload that does not exist or a malformed target', async () => {
    server = await new FakeApiServer({ objects: [] }).start();
    const missing = await runCli(['rollout', 'deployment/nope', '-n', 'shop', '--kubeconfig', server.kubeconfig()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('kubetriage: deployment/nope not found in namespace shop\n');
    const malformed = await runCli(['rollout', 'pod/web', '--kubeconfig', server.kubeconfig()]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected KIND/NAME where KIND is deployment, statefulset or daemonset');
  });

  it('parses targets and durations', () => {
    expect(parseRolloutTarget('sts/db')).toEqual({ kind: 'StatefulSet', name: 'db' });
    expect(parseDuration('1h30m', '--timeout')).toBe(5_400_000);
    expect(parseDuration('90', '--timeout')).toBe(90_000);
    expect(() => parseDuration('5 minutes', '--timeout')).toThrow('--timeout "5 minutes": expected a duration like 90s, 5m or 1h');
  });
});
