import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { here, kubetriage, lineOf } from './support.js';

// The SARIF 2.1.0 schema as Microsoft ships it in @microsoft/jest-sarif (sarif-2.1.0-rtm.5, the OASIS standard's final schema, JSON Schema draft-04).
const schema = JSON.parse(readFileSync(join(here, 'schema', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
// unicodeRegExp off: the schema's `language` pattern is not a valid unicode-mode regular expression.
// Both are CommonJS; under NodeNext their classes are the .default export.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; help: { text: string; markdown: string }; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

async function sarif(args: readonly string[]): Promise<SarifLog> {
  const result = await kubetriage([...args, '--format', 'sarif']);
  expect(result.stderr).toBe('');
  const log = JSON.parse(result.stdout) as SarifLog;
  const valid = validate(log);
  expect(validate.errors ?? [], 'SARIF schema errors').toEqual([]);
  expect(valid).toBe(true);
  return log;
}

describe('SARIF output', () => {
  it('is valid SARIF 2.1.0 with rule metadata, runbook help, regions and fingerprints', async () => {
    const dir = join('test', 'e2e', 'manifests', 'version-selector', 'broken');
    const log = await sarif(['lint', dir]);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    if (!run) throw new Error('no run');
    expect(run.tool.driver.name).toBe('kubetriage');
    // The version label in the selector (a warning) and, since the stale version matches no
    // pod template of the set, the Service without endpoints it causes (critical: error).
    expect(run.results.map((r) => [r.ruleId, r.level]).sort()).toEqual([['selector-version-label', 'warning'], ['service-no-endpoints', 'error']]);
    const result = run.results.find((r) => r.ruleId === 'selector-version-label');
    expect(result?.ruleId).toBe('selector-version-label');
    expect(result?.level).toBe('warning');
    expect(run.tool.driver.rules[result?.ruleIndex ?? -1]?.id).toBe('selector-version-label');
    const rule = run.tool.driver.rules.find((r) => r.id === 'selector-version-label');
    expect(rule?.help.text).toContain('Symptoms');
    expect(rule?.help.markdown).toContain('selector-version-label');
    expect(result?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: `${dir}/service.yaml` },
      region: { startLine: lineOf(join(dir, 'service.yaml'), 'app.kubernetes.io/version'), startColumn: 5 },
    });
    expect(result?.message.text).toContain('Fix: ');
    expect(Object.keys(result?.partialFingerprints ?? {})).toEqual(['kubetriage/v1']);
  });

  it('keeps fingerprints when lines move, so code scanning tracks the same alert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetriage-sarif-'));
    const service = readFileSync(join('test', 'e2e', 'manifests', 'version-selector', 'broken', 'service.yaml'), 'utf8');
    writeFileSync(join(dir, 'service.yaml'), service);
    const before = (await sarif(['lint', dir])).runs[0]?.results.find((r) => r.ruleId === 'selector-version-label');
    writeFileSync(join(dir, 'service.yaml'), `# owned by team shop\n# see docs/networking.md\n${service}`);
    const after = (await sarif(['lint', dir])).runs[0]?.results.find((r) => r.ruleId === 'selector-version-label');
    expect(after?.locations[0]?.physicalLocation?.region.startLine).toBe((before?.locations[0]?.physicalLocation?.region.startLine ?? 0) + 2);
    expect(before?.partialFingerprints).toBeDefined();
    expect(after?.partialFingerprints).toEqual(before?.partialFingerprints);
  });

  it('is valid for a cluster scan too (results without file locations)', async () => {
    const log = await sarif(['scan', '--demo']);
    expect(log.runs[0]?.results.length).toBeGreaterThan(0);
  });

  it('never carries a secret value', async () => {
    const log = JSON.stringify(await sarif(['lint', join('test', 'e2e', 'manifests', 'plaintext-secret', 'broken')]));
    expect(log).toContain('plaintext-secret');
    expect(log).not.toContain('Sup3r-S3cret-Pr0d');
  });
});
