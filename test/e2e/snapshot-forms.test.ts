import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBundleHeader } from '../../src/sources/bundle-format.js';
import { clusterInfoStream, concatenatedLists, gzip, kindAfterItems, readDumpTree, singleList } from '../support/dump-forms.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'kubetriage.js');
const demo = join(root, 'demo', 'shop-cluster');

interface Run { code: number; stdout: string; stderr: string }

/** The real CLI, with optional bytes on stdin. */
function kubetriage(args: readonly string[], stdin?: Buffer | string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}

interface Report { summary: unknown; findings: unknown[]; notes: string[] }

/** The parts of a report that depend on the cluster, not on the form it came in. */
async function findingsOf(args: readonly string[], stdin?: Buffer | string): Promise<{ summary: unknown; findings: unknown[]; notes: string[] }> {
  const result = await kubetriage(['scan', '--format', 'json', ...args], stdin);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout) as Report;
  return { summary: report.summary, findings: report.findings, notes: report.notes };
}

describe('scan --snapshot accepts the demo cluster in every form with the same findings', () => {
  const tree = readDumpTree(demo);
  const dir = mkdtempSync(join(tmpdir(), 'kubetriage-forms-'));
  const forms: Record<string, string> = {
    'cluster-info dump stream with log blocks': clusterInfoStream(tree),
    'concatenated kubectl get -o json Lists': concatenatedLists(tree),
    'typed lists with kind after items': kindAfterItems(tree),
    'a single List': singleList(tree),
  };

  let reference: Awaited<ReturnType<typeof findingsOf>>;
  beforeAll(async () => {
    reference = await findingsOf(['--snapshot', demo]);
  }, 60_000);

  it('reads the directory tree', () => {
    expect(reference.findings.length).toBeGreaterThan(0);
    expect(tree.logs.length).toBeGreaterThan(0);
  });

  it.each(Object.keys(forms))('%s (file, stdin and gzip)', async (name) => {
    const text = forms[name] ?? '';
    const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, text);
    writeFileSync(`${file}.gz`, gzip(text));
    const results = await Promise.all([
      findingsOf(['--snapshot', file]),
      findingsOf(['--snapshot', '-'], text),
      findingsOf(['--snapshot', `${file}.gz`]),
      findingsOf(['--snapshot', '-'], gzip(text)),
    ]);
    for (const result of results) expect(result).toEqual(reference);
  }, 120_000);

  it('reads a kubetriage bundle: header first, capturedAt and notes surfaced', async () => {
    const capturedAt = new Date('2026-11-23T09:30:00Z');
    const header = createBundleHeader(capturedAt, 'context shop-prod', ['could not list networkpolicies: forbidden']);
    const file = join(dir, 'bundle.json.gz');
    writeFileSync(file, gzip(`${JSON.stringify(header)}\n${clusterInfoStream(tree)}`));
    const bundle = await findingsOf(['--snapshot', file]);
    expect(bundle.notes).toContain('could not list networkpolicies: forbidden');
    expect(bundle.summary).toEqual(reference.summary);
  }, 60_000);

  it('refuses a bundle of an unknown version with exit 2', async () => {
    const file = join(dir, 'future.json.gz');
    writeFileSync(file, gzip(`${JSON.stringify({ kind: 'KubetriageSnapshot', apiVersion: 'kubetriage.io/v9', capturedAt: '2026-11-23T09:30:00Z', source: 'x', notes: [] })}\n{"kind":"List","items":[]}`));
    const result = await kubetriage(['scan', '--snapshot', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a KubetriageSnapshot header with apiVersion kubetriage.io/v1, found "kubetriage.io/v9"');
  });
});
