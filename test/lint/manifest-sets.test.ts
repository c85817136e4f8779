import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubetriage, lineOf, lintJson, manifests, root } from './support.js';

const set = (name: string): string => join('test', 'e2e', 'manifests', name);

interface Expected {
  readonly set: string;
  readonly rule: string;
  readonly object: string;
  readonly file: string;
  /** The text on the offending line (and, when needed, a line it comes after). */
  readonly at: string;
  readonly after?: string;
  /** Rules of other branches that rightly fire on the same broken set too (asserted in cross-rule.test.ts). */
  readonly also?: readonly string[];
}

// Each broken set yields exactly its finding, at the offending field; its fixed twin is clean.
const cases: readonly Expected[] = [
  // The stale version in the selector matches no pod template of the set: the Service has no endpoints (critical).
  { set: 'version-selector', rule: 'selector-version-label', object: 'Service/web', file: 'service.yaml', at: 'app.kubernetes.io/version', also: ['service-no-endpoints'] },
  { set: 'probe-port', rule: 'probe-misconfigured', object: 'Deployment/web', file: 'web.yaml', at: 'port: health' },
  { set: 'latest-tag', rule: 'mutable-image-tag', object: 'Deployment/web', file: 'web.yaml', at: 'imagePullPolicy: IfNotPresent' },
  { set: 'plaintext-secret', rule: 'plaintext-secret', object: 'Secret/api-db', file: 'secret.yaml', at: 'username: shop' },
];

describe('kubetriage lint on realistic manifest sets', () => {
  for (const c of cases) {
    it(`${c.set}: ${c.rule} at ${c.file}:${c.at}`, async () => {
      const report = await lintJson([set(`${c.set}/broken`)]);
      expect(report.findings.map((f) => f.rule).sort()).toEqual([c.rule, ...(c.also ?? [])].sort());
      const mine = report.findings.filter((f) => f.rule === c.rule);
      expect(mine.map((f) => `${f.object.kind}/${f.object.name}`)).toEqual([c.object]);
      const file = join(set(`${c.set}/broken`), c.file);
      const line = lineOf(file, c.at, c.after);
      expect(mine[0]?.location).toEqual({ file, line, column: (readFileSync(join(root, file), 'utf8').split('\n')[line - 1] ?? '').search(/\S/) + 1 });
      // Warnings do not fail lint by default (--fail-on critical); a critical finding does.
      expect(report.code).toBe(report.findings.some((f) => f.severity === 'critical') ? 1 : 0);
      expect(mine[0]?.severity).toBe('warning');
    });

    it(`${c.set}: the fixed twin is clean`, async () => {
      const report = await lintJson([set(`${c.set}/fixed`)]);
      expect(report.findings.map((f) => `${f.rule} ${f.object.kind}/${f.object.name}: ${f.message}`)).toEqual([]);
    });
  }

  for (const name of ['placeholder', 'oss-endpoint']) {
    it(`${name}: the fixed twin is clean (the broken one is asserted per rule in cross-rule.test.ts)`, async () => {
      const report = await lintJson([set(`${name}/fixed`)]);
      expect(report.findings.map((f) => `${f.rule} ${f.object.kind}/${f.object.name}: ${f.message}`)).toEqual([]);
    });
  }

  it('a careful manifest set (probes, resources, PDBs, named ports, pinned tags, an external Secret) yields nothing at all', async () => {
    const report = await lintJson([set('clean')]);
    expect(report.findings.map((f) => `${f.severity} ${f.rule} ${f.object.kind}/${f.object.name}: ${f.message}`)).toEqual([]);
    expect(report.summary.objects).toBe(11);
    expect(report.notes).toEqual([]);
  });
});

describe('kustomize folders (rendered by the real kubectl kustomize)', () => {
  it('lints the kustomization (commonLabels) and traces rendered objects to their source files', async () => {
    const dir = set('kustomize-common-labels/broken');
    const report = await lintJson([dir]);
    const findings = report.findings.filter((f) => f.rule === 'selector-version-label');
    const byObject = new Map(findings.map((f) => [`${f.object.kind}/${f.object.name}`, f]));
    expect([...byObject.keys()].sort()).toEqual(['Deployment/web', `Kustomization/${dir}`, 'Service/web']);
    expect(byObject.get(`Kustomization/${dir}`)?.location).toEqual({ file: join(dir, 'kustomization.yaml'), line: lineOf(join(dir, 'kustomization.yaml'), 'commonLabels:'), column: 1 });
    // kustomize wrote the version into the selectors; the findings point at the selector in the file people edit.
    expect(byObject.get('Service/web')?.location).toEqual({ file: join(dir, 'service.yaml'), line: lineOf(join(dir, 'service.yaml'), 'selector:'), column: 3 });
    expect(byObject.get('Deployment/web')?.location?.file).toBe(join(dir, 'deployment.yaml'));
    expect(byObject.get('Service/web')?.object.namespace).toBe('shop');
    expect(report.notes).toEqual([`rendered ${dir} with kustomize (3 objects)`]);
  });

  it('the fixed kustomization (labels with includeSelectors: false) is clean', async () => {
    const report = await lintJson([set('kustomize-common-labels/fixed')]);
    expect(report.findings).toEqual([]);
  });

  it('says what to do when neither kubectl nor kustomize is installed', async () => {
    const result = await kubetriage(['lint', set('kustomize-common-labels/fixed')], { env: { PATH: '/nonexistent' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('neither `kubectl` nor `kustomize` is on PATH');
    expect(result.stderr).toContain('kustomize build');
  });
});

describe('Helm output through stdin', () => {
  it('finds the chart label in both selectors, with lines in the stream', async () => {
    const text = readFileSync(join(manifests, 'helm', 'shop-rendered.yaml'), 'utf8');
    const report = await lintJson(['-'], { stdin: text });
    const file = join('test', 'e2e', 'manifests', 'helm', 'shop-rendered.yaml');
    expect(report.findings.map((f) => [f.rule, `${f.object.kind}/${f.object.name}`, f.location?.file, f.location?.line])).toEqual([
      ['selector-version-label', 'Deployment/shop', '<stdin>', lineOf(file, 'helm.sh/chart', '    matchLabels:')],
      ['selector-version-label', 'Service/shop', '<stdin>', lineOf(file, 'helm.sh/chart', '  selector:')],
    ]);
  });
});

describe('exit codes and input errors', () => {
  it('fails on critical findings by default, and on warnings with --fail-on warning', async () => {
    // version-selector/broken: a critical service-no-endpoints besides the selector-version-label warning.
    expect((await kubetriage(['lint', set('version-selector/broken')])).code).toBe(1);
    expect((await kubetriage(['lint', set('version-selector/broken'), '--fail-on', 'info'])).code).toBe(1);
    // probe-port/broken: one warning only.
    expect((await kubetriage(['lint', set('probe-port/broken')])).code).toBe(0);
    expect((await kubetriage(['lint', set('probe-port/broken'), '--fail-on', 'warning'])).code).toBe(1);
    expect((await kubetriage(['lint', set('probe-port/fixed'), '--fail-on', 'warning'])).code).toBe(0);
  });

  it('names file, line and column of broken YAML and exits 2', async () => {
    const result = await kubetriage(['lint', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^kubetriage: <stdin>:\d+:\d+: invalid YAML/);
  });

  it('reads List objects and JSON files', async () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'aHVudGVyMg==' } }] }, null, 2);
    const report = await lintJson(['-'], { stdin: list });
    expect(report.findings.map((f) => [f.rule, f.location?.line])).toEqual([['plaintext-secret', list.split('\n').findIndex((l) => l.includes('"password"')) + 1]]);
    expect(JSON.stringify(report)).not.toContain('hunter2');
    expect(JSON.stringify(report)).not.toContain('aHVudGVyMg==');
  });
});
