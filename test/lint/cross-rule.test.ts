import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { lineOf, lintJson } from './support.js';

// The manifest sets also carry cases for the M rules other branches implement. Each test
// runs once its rule is registered (after the merge); until then it is skipped, not faked.
const registered = (id: string): boolean => rules.some((r) => r.id === id);
const set = (name: string): string => join('test', 'e2e', 'manifests', name);

interface CrossCase {
  readonly rule: string;
  readonly set: string;
  readonly object: string;
  readonly file: string;
  readonly at: string;
  readonly after?: string;
}

const cases: readonly CrossCase[] = [
  { rule: 'unresolved-placeholder', set: 'placeholder', object: 'ServiceAccount/api', file: 'api.yaml', at: '${AZURE_CLIENT_ID}' },
  { rule: 'insecure-url', set: 'oss-endpoint', object: 'Deployment/api', file: 'api.yaml', at: 'value: oss-cn-hangzhou.aliyuncs.com' },
  { rule: 'service-no-endpoints', set: 'version-selector', object: 'Service/web', file: 'service.yaml', at: 'app.kubernetes.io/version' },
];

describe('manifest sets for rules of other branches', () => {
  for (const c of cases) {
    it.skipIf(!registered(c.rule))(`${c.set}: ${c.rule} on ${c.object} at ${c.file}:${c.at}`, async () => {
      const dir = set(`${c.set}/broken`);
      const report = await lintJson([dir]);
      const findings = report.findings.filter((f) => f.rule === c.rule);
      expect(findings.map((f) => `${f.object.kind}/${f.object.name}`)).toEqual([c.object]);
      const file = join(dir, c.file);
      // The line of the offending field (the env var's name or its value are both acceptable for env).
      const line = findings[0]?.location?.line ?? 0;
      const expected = lineOf(file, c.at, c.after);
      expect(findings[0]?.location?.file).toBe(file);
      expect([expected - 1, expected]).toContain(line);
    });

    it.skipIf(!registered(c.rule))(`${c.set}: the fixed twin gives no ${c.rule}`, async () => {
      const report = await lintJson([set(`${c.set}/fixed`)]);
      expect(report.findings.filter((f) => f.rule === c.rule)).toEqual([]);
    });
  }

  it.skipIf(!registered('missing-config-reference'))('a Secret referenced but created outside the repository is not reported', async () => {
    for (const name of ['plaintext-secret/fixed', 'clean']) {
      const report = await lintJson([set(name)]);
      expect(report.findings.filter((f) => f.rule === 'missing-config-reference')).toEqual([]);
    }
  });
});
