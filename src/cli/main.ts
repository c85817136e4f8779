import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { Severity } from '../engine/types.js';
import { InternalError, KubetriageError, UsageError } from '../errors.js';
import { analyze } from '../scan.js';
import { Redactor } from '../sources/redact.js';
import { inferCaptureTime } from '../sources/capture-time.js';
import { readSnapshot } from '../sources/snapshot.js';
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

interface ScanFlags extends RuleOptionFlags {
  readonly snapshot?: string;
  readonly demo?: boolean;
  readonly format: string;
  readonly output?: string;
  readonly namespace?: string;
  readonly failOn?: string;
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

  outputOptions(
    program
      .command('scan')
      .description('scan a cluster dump (--snapshot) or the bundled demo (--demo)')
      .option('--snapshot <path>', 'kubectl get -o json output, a cluster-info dump (file or directory), or - for stdin')
      .option('--demo', 'scan the bundled demo cluster (a small web shop with several failures)')
      .option('-n, --namespace <namespace>', 'only report findings in this namespace')
      .option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists (critical, warning, info)')
      .option('--config <file>', 'config file (default: .kubetriage.yaml in the working folder, when present)')
      .option('--node-cost <price>', 'monthly price of one node: duplicate-workload states what the copies cost')
      .option('--repo <dir>', 'source repository: image-version-drift compares deployed tags with its package versions and HEAD')
      .option('--node-allocatable <cpu=…,memory=…>', 'allocatable of one node (cpu=1900m,memory=5792Mi[,nodes=3]) for rollout-capacity on manifests'),
  ).action(async (flags: ScanFlags) => {
    exitCode = await scanCommand(flags, io);
  });

  registerLintCommand(program, outputOptions, io, (code) => {
    exitCode = code;
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
  if (flags.snapshot !== undefined && flags.demo) throw new UsageError('use either --snapshot or --demo, not both');
  const config = await loadConfig(flags.config, io.cwd, rules.map((r) => r.id));
  const failOn: Severity | undefined = flags.failOn === undefined ? config.failOn : parseSeverity(flags.failOn, '--fail-on');
  const options = ruleOptions(flags);
  const redactor = new Redactor();
  let input;
  let source;
  if (flags.demo) {
    input = await readSnapshot(demoPath, redactor);
    source = { type: 'demo' as const, name: 'bundled shop cluster' };
  } else if (flags.snapshot !== undefined) {
    input = await readSnapshot(flags.snapshot, redactor, io.stdin);
    source = { type: 'snapshot' as const, name: flags.snapshot === '-' ? '<stdin>' : flags.snapshot };
  } else {
    throw new UsageError('nothing to scan: give --snapshot PATH (or - for stdin), or --demo');
  }
  const result = analyze(input, {
    source,
    modelSource: 'cluster',
    // A dump is judged at the moment it was taken, not when it is read.
    now: input.capturedAt ?? inferCaptureTime(input.objects) ?? io.now(),
    config,
    options,
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
  });
  await writeResult(result, io, { format: flags.format, output: flags.output, color: flags.color });
  return exitCodeFor(result, failOn);
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
