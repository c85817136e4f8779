import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Severity } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { rules } from '../rules/index.js';
import { analyze } from '../scan.js';
import { readManifests } from '../sources/manifests.js';
import type { Renderer } from '../sources/manifests-kustomize.js';
import { Redactor } from '../sources/redact.js';
import type { CliIo } from './io.js';
import { exitCodeFor, parseSeverity, writeResult } from './output.js';

export interface LintFlags {
  readonly format: string;
  readonly output?: string;
  readonly color?: boolean;
  readonly failOn?: string;
  readonly config?: string;
  readonly namespace?: string;
  readonly nodeAllocatable?: string;
}

/** Registers `kubetriage lint PATH... | -` on the program; `outputOptions` adds the shared output flags. */
export function registerLintCommand(program: Command, outputOptions: (command: Command) => Command, io: CliIo, setExitCode: (code: number) => void): void {
  outputOptions(
    program
      .command('lint')
      .description('lint manifests before deploy: YAML/JSON files, folders, kustomize folders, or - for stdin (helm template … | kubetriage lint -)')
      .argument('<paths...>', 'files or folders to lint, or - to read a YAML stream from stdin')
      .option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists (critical, warning, info)')
      .option('--config <file>', 'config file (default: .kubetriage.yaml in the working folder, when present)')
      .option('-n, --namespace <namespace>', 'only report findings in this namespace')
      .option('--node-allocatable <resources>', 'allocatable of your nodes for capacity checks, e.g. cpu=4,memory=16Gi'),
  ).action(async (paths: string[], flags: LintFlags) => {
    setExitCode(await lintCommand(paths, flags, io));
  });
}

export async function lintCommand(paths: readonly string[], flags: LintFlags, io: CliIo, render?: Renderer): Promise<number> {
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const config = await loadConfig(flags.config, io.cwd, rules.map((r) => r.id));
  const failOn: Severity = flags.failOn === undefined ? config.failOn ?? 'critical' : parseSeverity(flags.failOn, '--fail-on');
  const input = await readManifests(paths, new Redactor(), { stdin: io.stdin, ...(render ? { render } : {}) });
  const nodeAllocatable = flags.nodeAllocatable === undefined ? undefined : parseNodeAllocatable(flags.nodeAllocatable);
  const result = analyze(input, {
    source: { type: 'manifests', name: paths.map((p) => (p === '-' ? '<stdin>' : p)).join(' ') },
    modelSource: 'manifests',
    now: io.now(),
    config,
    ...(nodeAllocatable ? { options: { nodeAllocatable } } : {}),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
  });
  await writeResult(result, io, { format: flags.format, output: flags.output, color: flags.color });
  return exitCodeFor(result, failOn);
}

/** `cpu=4,memory=16Gi` → { cpu: '4', memory: '16Gi' } (Kubernetes quantities, parsed by the rule). */
export function parseNodeAllocatable(value: string): Record<string, string> {
  const resources: Record<string, string> = {};
  for (const part of value.split(',')) {
    const match = /^\s*(cpu|memory|pods)\s*=\s*([0-9.]+[a-zA-Z]*)\s*$/.exec(part);
    if (!match?.[1] || !match[2]) throw new UsageError(`--node-allocatable "${value}": expected cpu=<cores>,memory=<bytes>, e.g. cpu=4,memory=16Gi`);
    resources[match[1]] = match[2];
  }
  return resources;
}
