import { PassThrough } from 'node:stream';
import { demoPath, main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { ChainNode } from '../../src/engine/chains.js';
import { buildChains } from '../../src/engine/chains.js';
import type { Finding, ScanResult, Severity } from '../../src/engine/types.js';
import { severities } from '../../src/engine/types.js';
import { analyze, summarize } from '../../src/scan.js';
import { inferCaptureTime } from '../../src/sources/capture-time.js';
import { Redactor } from '../../src/sources/redact.js';
import { readSnapshot } from '../../src/sources/snapshot.js';

/** The JSON report as tests read it (the DESIGN.md contract). */
export interface JsonReport {
  readonly source: { readonly type: string; readonly name: string };
  readonly summary: Readonly<Record<Severity | 'objects', number>>;
  readonly findings: readonly {
    readonly id: string;
    readonly rule: string;
    readonly severity: Severity;
    readonly title: string;
    readonly object: { readonly kind: string; readonly namespace?: string; readonly name: string };
    readonly message: string;
    readonly evidence: readonly string[];
    readonly rootCause: string;
    readonly fix: readonly { readonly description: string; readonly command?: string; readonly mutates: boolean }[];
    readonly causedBy: readonly string[];
  }[];
}

/** Runs the CLI in-process, as `kubetriage ARGS` would, and returns what it printed. */
export async function runCli(args: readonly string[]): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd(), now: () => new Date('2026-01-01T00:00:00Z') };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`kubetriage ${args.join(' ')} exited ${code}: ${Buffer.concat(errors).toString()}`);
  return Buffer.concat(chunks).toString();
}

/**
 * The findings in the order the HTML and Markdown reports show them: chain by chain (roots
 * that explain more first), each root followed by its effects, depth first. This is not the
 * result's own order once findings are correlated.
 */
export function inReportOrder<F extends { readonly id: string; readonly causedBy: readonly string[] }>(findings: readonly F[]): F[] {
  const flatten = (node: ChainNode): string[] => [node.finding.id, ...node.effects.flatMap(flatten)];
  const byId = new Map(findings.map((f) => [f.id, f]));
  return buildChains(findings as unknown as Finding[]).flatMap(flatten).map((id) => byId.get(id) as F);
}

/** The commands of the findings' fix steps, in the order the HTML and Markdown reports show them. */
export function commandsInReportOrder(findings: readonly { readonly id: string; readonly causedBy: readonly string[]; readonly fix: readonly { readonly command?: string }[] }[]): string[] {
  return inReportOrder(findings).flatMap((f) => f.fix.flatMap((s) => (s.command === undefined ? [] : [s.command])));
}

/** The demo cluster's ScanResult, as `scan --demo` computes it. */
export async function demoResult(): Promise<ScanResult> {
  const input = await readSnapshot(demoPath, new Redactor());
  return analyze(input, {
    source: { type: 'demo', name: 'bundled shop cluster' },
    modelSource: 'cluster',
    now: input.capturedAt ?? inferCaptureTime(input.objects) ?? new Date('2026-01-01T00:00:00Z'),
  });
}

/** Markup and Markdown that would run or render if a reporter forgot to escape it. */
export const hostile = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">*bold* _em_ [link](https://example.com) | pipe \`tick\` &amp; # not a heading`;

/**
 * The result with hostile text in every value a cluster can influence (as a label value or
 * an event message would carry it), including a command, so copying must keep it exact.
 */
export function withHostileValues(result: ScanResult): ScanResult {
  const inject = (finding: Finding, index: number): Finding => ({
    ...finding,
    object: { ...finding.object, name: `${finding.object.name}${hostile}` },
    message: `${finding.message} ${hostile}`,
    evidence: [...finding.evidence, `label app=${hostile}`],
    rootCause: `${finding.rootCause} ${hostile}`,
    fix: [...finding.fix, { description: `Inspect ${hostile}`, command: `kubectl -n shop get pods -l 'app=<script>alert("${index}")</script>' -o name && echo "a & b" | grep '|'`, mutates: false }],
  });
  return { ...result, source: { ...result.source, name: hostile }, findings: result.findings.map(inject), notes: [...result.notes, `note ${hostile}`] };
}

/**
 * A large report: chains of five (a root, two effects, one nested effect, one more), a
 * spread of severities, namespaces (some cluster-scoped) and rules.
 */
export function syntheticResult(count: number): ScanResult {
  const rules = ['crash-loop', 'image-pull-failed', 'oom-killed', 'pending-unschedulable', 'service-no-endpoints', 'volume-problem'];
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const position = i % 5;
    const rootIndex = i - position;
    const causedBy = position === 0 ? [] : position === 3 ? [id(i - 1)] : [id(rootIndex)];
    const clusterScoped = i % 23 === 0;
    const namespace = `team-${i % 7}`;
    const name = `svc-${i}`;
    findings.push({
      id: id(i),
      rule: rules[i % rules.length] ?? 'crash-loop',
      severity: severities[i % 3] ?? 'info',
      title: `Synthetic problem ${i}`,
      category: 'pods',
      object: clusterScoped ? { kind: 'Node', name: `node-${i}` } : { kind: 'Deployment', namespace, name },
      message: `${name} restarted ${i} times (exit code 1)`,
      evidence: [`event Warning BackOff (x${i}): Back-off restarting failed container app in pod ${name}-7d9f8c-x2x9z`, `last log line: connection refused to db-${i % 11}:5432`, `restartCount ${i}`],
      rootCause: `The container exits at start because db-${i % 11} refuses connections.`,
      fix: [
        { description: 'Read the previous logs', command: `kubectl -n ${namespace} logs deployment/${name} --previous`, mutates: false },
        { description: 'Roll back', command: `kubectl -n ${namespace} rollout undo deployment/${name}`, mutates: true },
      ],
      causedBy,
    });
  }
  return {
    schemaVersion: 1,
    tool: { name: 'kubetriage', version: '0.1.0' },
    source: { type: 'snapshot', name: `synthetic-${count}.json` },
    generatedAt: '2026-01-01T00:00:00.000Z',
    summary: summarize(findings, count * 3),
    findings,
    notes: [],
  };
}

function id(index: number): string {
  return index.toString(16).padStart(16, '0');
}
