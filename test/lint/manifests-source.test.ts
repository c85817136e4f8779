import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readManifests } from '../../src/sources/manifests.js';
import { Redactor } from '../../src/sources/redact.js';
import { InputError } from '../../src/errors.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubetriage-src-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - name: sidecar
          image: envoy
`;

describe('the manifests source', () => {
  it('locates fields by key, deepest existing prefix first, across multi-document files', async () => {
    const dir = tree({ 'k8s/app.yaml': `# header\n---\n${deployment}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n` });
    const result = await readManifests([dir], new Redactor());
    const [web, cfg] = result.objects;
    if (!web || !cfg || !result.locate) throw new Error('objects missing');
    const file = join(dir, 'k8s', 'app.yaml');
    expect(result.locate(web, [])).toEqual({ file, line: 3, column: 1 });
    expect(result.locate(web, ['spec', 'template', 'spec', 'containers', 1, 'image'])).toEqual({ file, line: 14, column: 11 });
    expect(result.locate(web, ['spec', 'template', 'spec', 'containers', 1, 'resources'])).toEqual({ file, line: 13, column: 11 });
    expect(result.locate(cfg, ['metadata', 'name'])).toEqual({ file, line: 18, column: 12 });
  });

  it('reads JSON Lists and JSON arrays with positions of their items', async () => {
    const list = JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [{ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' } }, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'b' } }] }, null, 2);
    const result = await readManifests(['-'], new Redactor(), { stdin: Readable.from([list]) });
    expect(result.objects.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
    const b = result.objects[1];
    if (!b || !result.locate) throw new Error('missing');
    const line = list.split('\n').findIndex((l) => l.includes('"b"')) + 1;
    expect(result.locate(b, ['metadata', 'name'])?.line).toBe(line);
  });

  it('skips YAML of other tools in folders, but rejects broken YAML with its position', async () => {
    const dir = tree({ 'app.yaml': deployment, '.github/workflows/ci.yaml': 'on: push\njobs: {}\n', 'config/settings.yml': 'debug: true\n' });
    const result = await readManifests([dir], new Redactor());
    expect(result.objects.map((o) => o.kind)).toEqual(['Deployment']);
    expect(result.notes).toEqual([`skipped ${join(dir, 'config', 'settings.yml')}: no apiVersion/kind, not a Kubernetes manifest`]);

    const broken = tree({ 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: b\n' });
    await expect(readManifests([broken], new Redactor())).rejects.toThrow(InputError);
    await expect(readManifests([join(broken, 'bad.yaml')], new Redactor())).rejects.toThrow(/bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it('renders kustomize folders with the given renderer and adds the kustomization itself', async () => {
    const dir = tree({ 'base/kustomization.yaml': 'resources: [app.yaml]\nnamePrefix: prod-\ncommonLabels: {team: shop}\n', 'base/app.yaml': deployment });
    const rendered = deployment.replace('name: web\nspec', 'name: prod-web\n  labels: {team: shop}\nspec');
    const result = await readManifests([join(dir, 'base')], new Redactor(), { render: () => Promise.resolve(rendered) });
    expect(result.objects.map((o) => `${o.kind ?? ''}/${o.metadata?.name ?? ''}`)).toEqual([`Kustomization/${join(dir, 'base')}`, 'Deployment/prod-web']);
    const [kustomization, web] = result.objects;
    if (!kustomization || !web || !result.locate) throw new Error('missing');
    // traced through the namePrefix to the source file
    expect(result.locate(web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ file: join(dir, 'base', 'app.yaml'), line: 10, column: 11 });
    expect(result.locate(kustomization, ['commonLabels'])).toEqual({ file: join(dir, 'base', 'kustomization.yaml'), line: 3, column: 1 });
  });

  it('redacts Secret values at ingestion', async () => {
    const result = await readManifests(['-'], new Redactor(), { stdin: Readable.from(['apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n']) });
    expect(JSON.stringify(result.objects)).not.toContain('hunter2');
  });
});
