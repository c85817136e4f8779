import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { parseIgnoreAnnotation } from '../../src/engine/suppress.js';
import { InputError } from '../../src/errors.js';
import { rules } from '../../src/rules/index.js';
import { kubetriage, lintJson, root } from './support.js';

const ruleIds = rules.map((r) => r.id);
const latestTag = readFileSync(join(root, 'test', 'e2e', 'manifests', 'latest-tag', 'broken', 'web.yaml'), 'utf8');
const secret = readFileSync(join(root, 'test', 'e2e', 'manifests', 'plaintext-secret', 'broken', 'secret.yaml'), 'utf8');

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubetriage-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function configError(text: string): string {
  try {
    parseConfig(text, '.kubetriage.yaml', ruleIds);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('the kubetriage.io/ignore annotation', () => {
  it('parses rule ids with optional reasons', () => {
    expect(parseIgnoreAnnotation('mutable-image-tag, plaintext-secret: sealed by CI')).toEqual([
      { rule: 'mutable-image-tag' },
      { rule: 'plaintext-secret', reason: 'sealed by CI' },
    ]);
  });

  it('silences the named rule on the annotated object only', async () => {
    const annotated = latestTag.replace('  name: web\n  namespace: shop\n', '  name: web\n  namespace: shop\n  annotations:\n    kubetriage.io/ignore: "mutable-image-tag: dev cluster only, tag pinned by Flux image automation"\n');
    expect(annotated).not.toBe(latestTag);
    const dir = workspace({ 'web.yaml': annotated, 'secret.yaml': secret });
    const report = await lintJson([dir]);
    expect(report.findings.map((f) => f.rule)).toEqual(['plaintext-secret']);
    expect(report.notes).toContain('1 finding(s) suppressed by kubetriage.io/ignore annotations');
  });
});

describe('.kubetriage.yaml', () => {
  it('disables rules, overrides severities, ignores objects and namespaces, and sets failOn', async () => {
    const dir = workspace({ 'web.yaml': latestTag, 'secret.yaml': secret });
    const config = join(dir, 'policy.yaml');
    writeFileSync(config, [
      'severity:',
      '  mutable-image-tag: critical',
      'ignore:',
      '  objects:',
      '    - kind: Secret',
      '      namespace: shop',
      '      name: api-*',
      '      rules: [plaintext-secret]',
      '      reason: test fixtures',
      '',
    ].join('\n'));
    const report = await lintJson([dir, '--config', config]);
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([['mutable-image-tag', 'critical']]);
    expect(report.code).toBe(1); // critical now, and lint fails on critical by default

    writeFileSync(config, 'disabledRules: [mutable-image-tag]\nignore:\n  namespaces: [shop]\nfailOn: info\n');
    const quiet = await lintJson([dir, '--config', config]);
    expect(quiet.findings).toEqual([]);
    expect(quiet.code).toBe(0);
  });

  it('is found in the working folder and applies to scan too', async () => {
    const dir = workspace({ '.kubetriage.yaml': 'disabledRules: [image-pull-failed]\n' });
    const withConfig = await kubetriage(['scan', '--demo', '--format', 'json'], { cwd: dir });
    const without = await kubetriage(['scan', '--demo', '--format', 'json']);
    const rulesOf = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rulesOf(without.stdout)).toContain('image-pull-failed');
    expect(rulesOf(withConfig.stdout)).not.toContain('image-pull-failed');
  });

  it('names file:line:column and what was expected for every mistake, and the CLI exits 2', async () => {
    expect(configError('disabledRules: [mutable-image-tags]\n')).toBe('.kubetriage.yaml:1:17: unknown rule id "mutable-image-tags" (did you mean "mutable-image-tag"?); `kubetriage rules` lists them');
    expect(configError('severity:\n  plaintext-secret: high\n')).toBe('.kubetriage.yaml:2:21: "high" is not a severity: expected one of critical, warning, info');
    expect(configError('ignore:\n  objects:\n    - kind: Secret\n')).toBe('.kubetriage.yaml:3:7: an ignored object needs a name (use "*" for every name)');
    expect(configError('disabledrules: []\n')).toContain('.kubetriage.yaml:1:1: unknown key "disabledrules" in the config');
    expect(configError('ignore:\n  namespaces: kube-system\n')).toBe('.kubetriage.yaml:2:15: ignore.namespaces: expected a list');
    expect(configError('severity: [\n')).toMatch(/^\.kubetriage\.yaml:\d+:\d+: invalid YAML/);

    const dir = workspace({ '.kubetriage.yaml': 'failOn: sometimes\n', 'web.yaml': latestTag });
    const result = await kubetriage(['lint', 'web.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('kubetriage: .kubetriage.yaml:1:9: "sometimes" is not a severity: expected one of critical, warning, info\n');
  });

  it('hands ruleOptions to rules', () => {
    expect(parseConfig('ruleOptions:\n  nodeAllocatable: {cpu: "4", memory: 16Gi}\n', 'c.yaml', ruleIds).ruleOptions).toEqual({ nodeAllocatable: { cpu: '4', memory: '16Gi' } });
  });
});
