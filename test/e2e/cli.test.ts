import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'kubetriage.js');
const run = promisify(execFile);
const escape = String.fromCharCode(27);
const hasAnsi = (text: string): boolean => text.includes(`${escape}[`);
const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Run { code: number; stdout: string; stderr: string }

/** Runs the built CLI as a user would, in a clean environment without a TTY. */
async function kubetriage(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

describe('kubetriage scan --demo', () => {
  it('prints a readable report grouped by root cause and exits 0', async () => {
    const result = await kubetriage(['scan', '--demo']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^kubetriage \d+\.\d+\.\d+ — demo bundled shop cluster$/m);
    expect(result.stdout).toMatch(/\d+ objects scanned: \d+ critical, \d+ warning, \d+ info/);
    expect(result.stdout).toContain('CRITICAL');
    expect(result.stdout).toContain('$ kubectl');
    // no colour codes without a terminal
    expect(hasAnsi(result.stdout)).toBe(false);
  });

  it('honours FORCE_COLOR and NO_COLOR', async () => {
    expect((await kubetriage(['scan', '--demo'], { FORCE_COLOR: '1' })).stdout).toContain(`${escape}[31m`);
    expect(hasAnsi((await kubetriage(['scan', '--demo'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout)).toBe(false);
  });

  it('writes the JSON contract of DESIGN.md', async () => {
    const result = await kubetriage(['scan', '--demo', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown> & { findings: Record<string, unknown>[]; summary: Record<string, number> };
    expect(Object.keys(report)).toEqual(['schemaVersion', 'tool', 'source', 'summary', 'findings', 'notes']);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({ name: 'kubetriage', version: packageVersion });
    expect(report.source).toEqual({ type: 'demo', name: 'bundled shop cluster' });
    expect(Object.keys(report.summary)).toEqual(['critical', 'warning', 'info', 'objects']);
    expect(report.findings.length).toBeGreaterThan(0);
    const ids = new Set(report.findings.map((f) => f.id));
    for (const finding of report.findings) {
      expect(Object.keys(finding).filter((k) => k !== 'location')).toEqual(['id', 'rule', 'severity', 'title', 'object', 'message', 'evidence', 'rootCause', 'fix', 'causedBy']);
      expect(finding.id).toMatch(/^[0-9a-f]{16}$/);
      expect(['critical', 'warning', 'info']).toContain(finding.severity);
      for (const cause of finding.causedBy as string[]) expect(ids.has(cause)).toBe(true);
      for (const step of finding.fix as Record<string, unknown>[]) expect(typeof step.mutates).toBe('boolean');
    }
    const count = (severity: string): number => report.findings.filter((f) => f.severity === severity).length;
    expect(report.summary).toMatchObject({ critical: count('critical'), warning: count('warning'), info: count('info') });
  });

  it('is deterministic: two runs give the same JSON', async () => {
    const [a, b] = await Promise.all([kubetriage(['scan', '--demo', '--format', 'json']), kubetriage(['scan', '--demo', '--format', 'json'])]);
    expect(a.stdout).toBe(b.stdout);
  });

  it('--fail-on sets exit code 1 when a finding at or above the severity exists', async () => {
    expect((await kubetriage(['scan', '--demo', '--fail-on', 'critical'])).code).toBe(1);
    const bad = await kubetriage(['scan', '--demo', '--fail-on', 'severe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on "severe": expected one of critical, warning, info');
  });

  it('--min-severity reports what is at or above it, and the findings that cause those', async () => {
    interface Report { findings: { id: string; severity: string; causedBy: string[] }[]; summary: { critical: number; warning: number; info: number }; notes: string[] }
    const all = JSON.parse((await kubetriage(['scan', '--demo', '--format', 'json'])).stdout) as Report;
    const result = await kubetriage(['scan', '--demo', '--format', 'json', '--min-severity', 'critical', '--fail-on', 'warning']);
    const critical = JSON.parse(result.stdout) as Report;
    // Every critical finding is there; anything else only as a cause (transitively) of a shown one.
    expect(critical.findings.filter((f) => f.severity === 'critical').map((f) => f.id).sort()).toEqual(all.findings.filter((f) => f.severity === 'critical').map((f) => f.id).sort());
    const causes = new Set(critical.findings.flatMap((f) => f.causedBy));
    for (const finding of critical.findings.filter((f) => f.severity !== 'critical')) expect(causes).toContain(finding.id);
    expect(critical.findings.some((f) => f.severity === 'warning')).toBe(true); // the demo has warnings that cause critical findings
    for (const cause of causes) expect(critical.findings.map((f) => f.id)).toContain(cause);
    const hidden = all.findings.length - critical.findings.length;
    expect(hidden).toBeGreaterThan(0);
    expect(critical.notes).toContain(`${hidden} finding(s) below critical not shown (--min-severity)`);
    expect(critical.summary.info).toBe(0);
    expect(result.code).toBe(1); // --fail-on warning: a warning is reported (as a cause)
    const text = await kubetriage(['scan', '--demo', '--min-severity', 'critical']);
    expect(text.stdout).not.toContain('INFO ');
    const bad = await kubetriage(['scan', '--demo', '--min-severity', 'high']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-severity "high": expected one of critical, warning, info');
  });

  it('--output writes the report to a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kubetriage-')), 'report.json');
    const result = await kubetriage(['scan', '--demo', '--format', 'json', '-o', file]);
    expect(result.stdout).toBe('');
    expect((JSON.parse(readFileSync(file, 'utf8')) as { schemaVersion: number }).schemaVersion).toBe(1);
  });

  it('-n limits findings to one namespace', async () => {
    const result = await kubetriage(['scan', '--demo', '--format', 'json', '-n', 'shop-staging']);
    const report = JSON.parse(result.stdout) as { findings: { object: { namespace?: string } }[] };
    for (const finding of report.findings) expect([undefined, 'shop-staging']).toContain(finding.object.namespace);
  });
});

describe('usage errors', () => {
  it('exit 2 with a message and no stack trace', async () => {
    for (const args of [['scan', '--snapshot', '/no/such/dump.json'], ['scan', '--demo', '--format', 'yaml'], ['frobnicate'], ['explain', 'crashloop'], ['scan', '--demo', '--snapshot', 'x']]) {
      const result = await kubetriage(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.length).toBeGreaterThan(0);
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
  });

  it('suggests the rule a mistyped id meant', async () => {
    const result = await kubetriage(['explain', 'crashloop']);
    expect(result.stderr).toContain('did you mean crash-loop');
  });
});

describe('rules and explain', () => {
  it('lists the catalogue and explains a rule, in text and JSON', async () => {
    const list = await kubetriage(['rules']);
    expect(list.stdout).toMatch(/^RULE\s+SEVERITY\s+CATEGORY\s+RUNS ON\s+TITLE$/m);
    expect(list.stdout).toContain('image-pull-failed');
    const json = JSON.parse((await kubetriage(['rules', '--format', 'json'])).stdout) as { id: string }[];
    expect(json.map((r) => r.id)).toContain('rollback');
    const explain = await kubetriage(['explain', 'image-pull-failed']);
    expect(explain.stdout).toContain('Causes it tells apart');
    expect(explain.stdout).toContain('kubectl -n <namespace> describe pod <pod>');
    expect(explain.stdout).not.toContain('{{');
  });
});
