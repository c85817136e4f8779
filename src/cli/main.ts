import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { Severity } from '../engine/types.js';
import { InternalError, KubetriageError, UsageError } from '../errors.js';
import { analyze } from '../scan.js';
import { Redactor } from '../sources/redact.js';
import { inferCaptureTime } from '../sources/capture-time.js';
import { readSnapshot } from '../sources/snapshot.js';
import { readLive } from '../sources/live.js';
import type { SourceResult } from '../sources/source-result.js';
import type { SourceInfo } from '../engine/types.js';
import { apiClientFor, liveOptions, pageSizeOf, progressReporter } from './live-options.js';
import type { LiveFlags } from './live-options.js';
import { writeBundle } from './snapshot.js';
import { parseDuration, parseRolloutTarget, rolloutCommand } from './rollout.js';
import { createBundleHeader } from '../sources/bundle-format.js';
import { version } from '../version.js';
import { loadConfig } from '../config/load.js';
import { rules } from '../rules/index.js';
import { explainCommand, rulesCommand } from './catalogue.js';
import type { CliIo } from './io.js';
import { registerLintCommand } from './lint.js';
import { ruleOptions } from './options.js';
import type { RuleOptionFlags } from './options.js';
import { exitCodeFor, parseSeverity, writeResult } from './output.js';

/** The demo cluster shipped with the package. */
export const demoPath = fileURLToPath(new URL('../../demo/shop-cluster', import.meta.url));

interface ScanFlags extends RuleOptionFlags, LiveFlags {
  readonly snapshot?: string;
  readonly demo?: boolean;
  readonly live?: boolean;
  readonly format: string;
  readonly output?: string;
  readonly namespace?: string;
  readonly failOn?: string;
  readonly minSeverity?: string;
  readonly color?: boolean;
  readonly config?: string;
}

/**
 * The CLI's one entry and one exit: parses argv, runs a command, prints, and maps every
 * error to its exit code and a message without a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('kubetriage')
    .description('Diagnoses broken Kubernetes deployments: what is wrong, the evidence, the root cause and the commands that fix it.')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showSuggestionAfterError(true);

  const outputOptions = (command: Command): Command =>
    command
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'markdown', 'html']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .option('--no-color', 'never colour the text output (NO_COLOR is honoured too)');

  outputOptions(liveOptions(
    program
      .command('scan')
      .description('scan the current cluster (read-only), a cluster dump (--snapshot) or the bundled demo (--demo)')
      .option('--live', 'scan the cluster of the kubeconfig context (the default without --snapshot or --demo)')
      .option('--snapshot <path>', 'kubectl get -o json output, a cluster-info dump, a kubetriage snapshot bundle (file or directory), or - for stdin')
      .option('--demo', 'scan the bundled demo cluster (a small web shop with several failures)')
      .option('-n, --namespace <namespace>', 'only this namespace (live: only list it; default: all namespaces)')
      .option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists (critical, warning, info)')
      .option('--min-severity <severity>', 'report only findings at or above this severity (critical, warning, info) and what causes them; --fail-on judges what is reported')
      .option('--config <file>', 'config file (default: .kubetriage.yaml in the working folder, when present)')
      .option('--node-cost <price>', 'monthly price of one node: duplicate-workload states what the copies cost')
      .option('--repo <dir>', 'source repository: image-version-drift compares deployed tags with its package versions and HEAD')
      .option('--node-allocatable <cpu=…,memory=…>', 'allocatable of one node (cpu=1900m,memory=5792Mi[,nodes=3]) for rollout-capacity on manifests'),
  )).action(async (flags: ScanFlags) => {
    exitCode = await scanCommand(flags, io);
  });

  registerLintCommand(program, outputOptions, io, (code) => {
    exitCode = code;
  });

  liveOptions(
    program
      .command('snapshot')
      .description('write a redacted bundle (.json.gz) of the cluster state and the logs of failing containers, for scan --snapshot')
      .requiredOption('-o, --output <file>', 'the bundle to write, e.g. cluster.json.gz')
      .option('-n, --namespace <namespace>', 'only this namespace (default: all namespaces)'),
  ).action(async (flags: LiveFlags & { output: string }) => {
    exitCode = await snapshotCommand(flags, io);
  });

  liveOptions(
    program
      .command('rollout')
      .description('wait for a Deployment/StatefulSet/DaemonSet rollout; when it stalls, explain why and print the rollback command')
      .argument('<workload>', 'KIND/NAME, e.g. deployment/api')
      .option('-n, --namespace <namespace>', 'namespace of the workload (default: the context\'s namespace, else default)')
      .option('--timeout <duration>', 'give up after this long (e.g. 90s, 5m)', '5m')
      .option('--stall-after <duration>', 'treat this long without progress as a stall', '2m'),
  ).action(async (workload: string, flags: LiveFlags & { timeout: string; stallAfter: string }) => {
    const target = parseRolloutTarget(workload);
    const timeoutMs = parseDuration(flags.timeout, '--timeout');
    const stallMs = parseDuration(flags.stallAfter, '--stall-after');
    const client = apiClientFor(flags, io);
    const namespace = flags.namespace ?? client.contextNamespace ?? 'default';
    exitCode = await rolloutCommand({ client, namespace, target, timeoutMs, stallMs, pageSize: pageSizeOf(flags), io });
  });

  program
    .command('rules')
    .description('list the rule catalogue')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: string }) => {
      io.stdout.write(rulesCommand(flags.format));
    });

  program
    .command('explain')
    .description('print the runbook of a rule')
    .argument('<rule>', 'a rule id, e.g. crash-loop')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((ruleId: string, flags: { format: string }) => {
      io.stdout.write(explainCommand(ruleId, flags.format));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

async function scanCommand(flags: ScanFlags, io: CliIo): Promise<number> {
  if ([flags.snapshot !== undefined, flags.demo === true, flags.live === true].filter(Boolean).length > 1) {
    throw new UsageError('use only one of --live, --snapshot and --demo');
  }
  const config = await loadConfig(flags.config, io.cwd, rules.map((r) => r.id));
  const failOn: Severity | undefined = flags.failOn === undefined ? config.failOn : parseSeverity(flags.failOn, '--fail-on');
  const minSeverity = flags.minSeverity === undefined ? undefined : parseSeverity(flags.minSeverity, '--min-severity');
  const options = ruleOptions(flags);
  const redactor = new Redactor();
  let input: SourceResult;
  let source: SourceInfo;
  if (flags.live || (flags.snapshot === undefined && !flags.demo)) {
    const client = apiClientFor(flags, io);
    const progress = progressReporter(io, flags.verbose);
    try {
      // A live scan judges ages against the moment it read the cluster.
      input = { ...(await readLive({ client, redactor, namespace: flags.namespace, pageSize: pageSizeOf(flags), onProgress: progress.update })), capturedAt: io.now() };
    } finally {
      progress.done();
    }
    source = { type: 'live', name: client.contextName };
  } else if (flags.demo) {
    input = await readSnapshot(demoPath, redactor);
    source = { type: 'demo' as const, name: 'bundled shop cluster' };
  } else {
    const path = flags.snapshot ?? '-';
    input = await readSnapshot(path, redactor, io.stdin);
    source = { type: 'snapshot' as const, name: path === '-' ? '<stdin>' : path };
  }
  const result = analyze(input, {
    source,
    modelSource: 'cluster',
    // A dump is judged at the moment it was taken, not when it is read.
    now: input.capturedAt ?? inferCaptureTime(input.objects) ?? io.now(),
    config,
    options,
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    ...(minSeverity === undefined ? {} : { minSeverity }),
  });
  await writeResult(result, io, { format: flags.format, output: flags.output, color: flags.color });
  return exitCodeFor(result, failOn);
}

async function snapshotCommand(flags: LiveFlags & { output: string }, io: CliIo): Promise<number> {
  const client = apiClientFor(flags, io);
  const progress = progressReporter(io, flags.verbose);
  let state: SourceResult;
  try {
    state = await readLive({ client, redactor: new Redactor(), namespace: flags.namespace, pageSize: pageSizeOf(flags), onProgress: progress.update });
  } finally {
    progress.done();
  }
  const source = `context ${client.contextName} (${client.server})${flags.namespace === undefined ? '' : `, namespace ${flags.namespace}`}`;
  await writeBundle(flags.output, createBundleHeader(io.now(), source, state.notes), state);
  io.stderr.write(`wrote ${flags.output}: ${state.objects.length} objects, ${state.logs.length} container logs${state.notes.length > 0 ? `, ${state.notes.length} notes (partial: see the bundle header)` : ''}\n`);
  return 0;
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and version are not errors.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return 2;
  }
  if (error instanceof KubetriageError) {
    io.stderr.write(`kubetriage: ${error.message}\n`);
    return error.exitCode;
  }
  const internal = new InternalError(error instanceof Error ? error.message : String(error));
  io.stderr.write(`kubetriage: internal error: ${internal.message}\nThis is a bug; please report it with the command you ran.\n`);
  return internal.exitCode;
}
