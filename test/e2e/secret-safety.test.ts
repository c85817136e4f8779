import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/report/index.js';
import { escapeMarkdown } from '../../src/report/markdown.js';
import { Redactor } from '../../src/sources/redact.js';
import { readSnapshot } from '../../src/sources/snapshot.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'kubetriage.js');
const run = promisify(execFile);

// Every place a secret value sits in what kubectl prints. Each value is distinct, so a
// leak names the path that leaked.
const secrets = {
  secretData: 'S3cr3t-from-data-7d1f',
  stringData: 'S3cr3t-from-stringData-99ab',
  lastAppliedSecret: 'S3cr3t-in-last-applied-secret-1c2d',
  lastAppliedDeployment: 'S3cr3t-in-last-applied-deploy-5e6f',
  podEnv: 'S3cr3t-pod-env-DB_PASSWORD-0a0b',
  templateEnv: 'S3cr3t-template-env-API_TOKEN-3c3d',
  cronJobEnv: 'S3cr3t-cronjob-env-CLIENT_SECRET-4e4f',
  rolloutEnv: 'S3cr3t-rollout-env-JWT_SECRET-5a5b',
  revisionEnv: 'S3cr3t-controllerrevision-PASSWORD-6c6d',
  urlInEnv: 'urlpass-in-env-8f8f',
  configMapKey: 'S3cr3t-configmap-api-key-7e7e',
  urlInConfigMap: 'urlpass-in-configmap-9a9a',
  urlInLog: 'urlpass-in-log-b1b1',
  bearerInLog: 'bearerTokenInLog0123456789abcdef',
  apiKeyInLog: 'sk-liveApiKeyInLog0123456789abcdef',
  passwordInLog: 'pw-assignment-in-log-c2c2',
  urlInEvent: 'urlpass-in-event-d3d3',
};
const base64 = (value: string): string => Buffer.from(value).toString('base64');

const env = (name: string, value: string): Record<string, string> => ({ name, value });
const container = (envs: Record<string, string>[]): Record<string, unknown> => ({ name: 'api', image: 'registry.example.com/shop/api:1.4.2', env: envs });
const meta = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, namespace: 'shop', uid: `uid-${name}`, ...extra });

const objects = [
  {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: meta('api-credentials', { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { password: secrets.lastAppliedSecret } }) } }),
    data: { password: base64(secrets.secretData) },
    stringData: { token: secrets.stringData },
  },
  {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('api-config'),
    data: { 'api-key': secrets.configMapKey, 'database.url': `postgres://app:${secrets.urlInConfigMap}@postgres.shop.svc:5432/shop` },
  },
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: meta('api', { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { template: { spec: { containers: [{ env: [{ name: 'X', value: secrets.lastAppliedDeployment }] }] } } } }) } }),
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [container([env('API_TOKEN', secrets.templateEnv), env('DATABASE_URL', `postgres://app:${secrets.urlInEnv}@postgres:5432/shop`)])] } } },
  },
  {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('report'),
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { containers: [container([env('CLIENT_SECRET', secrets.cronJobEnv)])], restartPolicy: 'OnFailure' } } } } },
  },
  {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('checkout'),
    spec: { template: { spec: { containers: [container([env('JWT_SECRET', secrets.rolloutEnv)])] } } },
  },
  {
    apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: meta('postgres-7c9f8d'), revision: 1,
    data: { spec: { template: { spec: { containers: [{ name: 'postgres', image: 'postgres:16', env: [env('POSTGRES_PASSWORD', secrets.revisionEnv)] }] } } } },
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta('api-5d4f8b7c9-x2x7q', { labels: { app: 'api' } }),
    spec: { containers: [container([env('DB_PASSWORD', secrets.podEnv)])] },
    status: {
      phase: 'Pending',
      containerStatuses: [{ name: 'api', image: 'registry.example.com/shop/api:1.4.2', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/shop/api:1.4.2"' } } }],
    },
  },
  {
    apiVersion: 'v1', kind: 'Event', metadata: meta('api-5d4f8b7c9-x2x7q.17f'), type: 'Warning', reason: 'Failed', count: 4,
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'api-5d4f8b7c9-x2x7q', uid: 'uid-api-5d4f8b7c9-x2x7q', fieldPath: 'spec.containers{api}' },
    message: `Failed to pull image "registry.example.com/shop/api:1.4.2": failed to resolve reference: unexpected status from HEAD request to https://puller:${secrets.urlInEvent}@registry.example.com/v2/shop/api/manifests/1.4.2: 401 Unauthorized`,
    firstTimestamp: '2026-11-23T09:00:00Z', lastTimestamp: '2026-11-23T09:29:00Z',
  },
];

const log = [
  '==== START logs for container api of pod shop/api-5d4f8b7c9-x2x7q ====',
  `connecting to postgres://app:${secrets.urlInLog}@postgres.shop.svc:5432/shop`,
  `calling payments with Authorization: Bearer ${secrets.bearerInLog}`,
  `openai client configured with key ${secrets.apiKeyInLog}`,
  `config loaded: password=${secrets.passwordInLog} retries=3`,
  '==== END logs for container api of pod shop/api-5d4f8b7c9-x2x7q ====',
].join('\n');

function leaks(text: string): string[] {
  return Object.entries(secrets).flatMap(([where, value]) => [text.includes(value) ? where : '', text.includes(base64(value)) ? `${where} (base64)` : '']).filter(Boolean);
}

describe('no secret value reaches any output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetriage-secrets-'));
  const file = join(dir, 'dump.json');
  writeFileSync(file, `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n${log}\n`);

  it('the fixture really holds every secret', () => {
    const found = leaks(JSON.stringify(objects) + log);
    for (const where of Object.keys(secrets)) expect(found.some((f) => f.startsWith(where)), where).toBe(true);
  });

  it('is redacted at ingestion: nothing the model receives holds a value', async () => {
    const result = await readSnapshot(file, new Redactor());
    expect(result.logs).toHaveLength(1);
    expect(result.objects).toHaveLength(objects.length);
    expect(leaks(JSON.stringify(result))).toEqual([]);
  });

  it.each(Object.keys(reporters))('--format %s', async (format) => {
    const { stdout, stderr } = await run(process.execPath, [bin, 'scan', '--snapshot', file, '--format', format], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } });
    expect(stdout.length).toBeGreaterThan(0);
    // The evidence quotes the pull event, with the registry password masked (Markdown escapes
    // the mask's asterisks, so that it renders as **** and not as emphasis).
    const masked = 'https://puller:****@registry.example.com';
    expect(stdout).toContain(format === 'markdown' ? escapeMarkdown(masked) : masked);
    expect(leaks(stdout + stderr)).toEqual([]);
  });

  it('error messages quote no input', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: meta('x'), data: { password: base64(secrets.secretData) } }).replace('"}}', `${secrets.stringData}" oops`));
    const failure = await run(process.execPath, [bin, 'scan', '--snapshot', broken]).catch((error: unknown) => error as { code: number; stderr: string });
    expect('code' in failure ? failure.code : 0).toBe(2);
    expect(leaks('stderr' in failure ? failure.stderr : '')).toEqual([]);
  });
});
