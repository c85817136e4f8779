import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { demoState } from './support/demo-state.js';
import { FakeApiServer } from './support/fake-apiserver.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const capturedAt = new Date('2026-11-23T09:30:00Z');

async function snapshotOf(state: ReturnType<typeof demoState>): Promise<{ file: string; text: string }> {
  server = await new FakeApiServer({ objects: state.objects, logs: state.logs }).start();
  const file = join(mkdtempSync(join(tmpdir(), 'kubetriage-bundle-')), 'cluster.json.gz');
  const run = await runCli(['snapshot', '-o', file, '--kubeconfig', server.kubeconfig()], { now: capturedAt });
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/^wrote .*cluster\.json\.gz: \d+ objects, \d+ container logs\n$/);
  return { file, text: gunzipSync(readFileSync(file)).toString('utf8') };
}

describe('kubetriage snapshot', () => {
  it('writes a gzip bundle: header, one List of the objects, then the log blocks', async () => {
    const state = demoState();
    const { text } = await snapshotOf(state);
    const [headerLine = '', ...rest] = text.split('\n');
    expect(JSON.parse(headerLine)).toEqual({
      apiVersion: 'kubetriage.io/v1',
      kind: 'KubetriageSnapshot',
      capturedAt: '2026-11-23T09:30:00.000Z',
      source: `context fake (${server?.url ?? ''})`,
      notes: [],
    });
    const body = rest.join('\n');
    const listEnd = body.indexOf('\n]}\n') + 3;
    const list = JSON.parse(body.slice(0, listEnd)) as { kind: string; items: { kind: string }[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(state.objects.length);
    expect(body.slice(listEnd)).toMatch(/^\n==== START logs for container api of pod shop\/api-\S+ \(previous\) ====\n/);
    expect(body).toContain('==== END logs for container');
  });

  it('holds no secret value and no credential from logs', async () => {
    const state = demoState();
    const pod = state.objects.find((o) => o.kind === 'Pod' && JSON.stringify(o.status).includes('CrashLoopBackOff')) as { metadata: { name: string }; status: { containerStatuses: { name: string }[] } };
    state.logs.set(`shop/${pod.metadata.name}/${pod.status.containerStatuses[0]?.name ?? ''}/previous`, 'dial postgres://app:s3cr3t-pass@db:5432/app failed\napi_key=AKIAABCDEFGHIJKLMNOP');
    const { text } = await snapshotOf(state);
    const secretValues = state.objects
      .filter((o) => o.kind === 'Secret')
      .flatMap((o) => Object.values((o.data ?? {}) as Record<string, string>))
      .flatMap((b64) => [b64, Buffer.from(b64, 'base64').toString('utf8')])
      .filter((v) => v.length >= 6);
    expect(secretValues.length).toBeGreaterThan(3);
    for (const value of secretValues) expect(text).not.toContain(value);
    expect(text).toContain('kubetriage:redacted:');
    expect(text).not.toContain('s3cr3t-pass');
    expect(text).not.toContain('AKIAABCDEFGHIJKLMNOP');
  });

  it('scan --snapshot of the bundle gives exactly the findings of the live scan', async () => {
    const state = demoState();
    server = await new FakeApiServer({ objects: state.objects, logs: state.logs }).start();
    const kubeconfig = server.kubeconfig();
    const file = join(mkdtempSync(join(tmpdir(), 'kubetriage-bundle-')), 'cluster.json.gz');
    // Both at the same moment; the bundle's header carries it to the offline scan.
    const live = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', 'json'], { now: capturedAt });
    await runCli(['snapshot', '-o', file, '--kubeconfig', kubeconfig], { now: capturedAt });
    const offline = await runCli(['scan', '--snapshot', file, '--format', 'json'], { now: new Date('2027-01-01T00:00:00Z') });
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(0);
    const findings = (run: { stdout: string }): unknown => (JSON.parse(run.stdout) as { findings: unknown }).findings;
    expect(findings(offline)).toEqual(findings(live));
  });
});
