import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { createApiClient } from '../sources/live/api-client.js';
import type { ApiClient } from '../sources/live/api-client.js';
import type { LiveProgressState } from '../sources/live.js';
import type { CliIo } from './io.js';

/** Flags every command that talks to a cluster shares. */
export interface LiveFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly requestTimeout?: string;
  readonly pageSize?: string;
  readonly verbose?: boolean;
}

export function liveOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, then ~/.kube/config, then the in-cluster service account)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('--request-timeout <seconds>', 'give up on one API request after this many seconds (retried with backoff)', '30')
    .option('--page-size <n>', 'objects per LIST page', '500')
    .option('--verbose', 'show progress on stderr even when it is not a terminal');
}

export function apiClientFor(flags: LiveFlags, io: CliIo): ApiClient {
  return createApiClient({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    env: io.env,
    requestTimeoutMs: positiveNumber(flags.requestTimeout ?? '30', '--request-timeout') * 1000,
  });
}

export function pageSizeOf(flags: LiveFlags): number {
  return Math.floor(positiveNumber(flags.pageSize ?? '500', '--page-size'));
}

function positiveNumber(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`${flag} "${value}": expected a positive number`);
  return number;
}

/**
 * Progress of a live read on stderr: one rewritten line on a terminal, plain lines with
 * --verbose elsewhere, nothing otherwise (pipes and CI logs stay clean).
 */
export function progressReporter(io: CliIo, verbose: boolean | undefined): { update: (state: LiveProgressState) => void; done: () => void } {
  const tty = io.stderr.isTTY === true;
  if (!tty && !verbose) return { update: () => undefined, done: () => undefined };
  let last = '';
  return {
    update: (state) => {
      const line = `listed ${state.kindsListed}/${state.kindsTotal} kinds, ${state.objects} objects read${state.logsWanted > 0 ? `, logs ${state.logsFetched}/${state.logsWanted}` : ''}`;
      if (line === last) return;
      last = line;
      io.stderr.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
    },
    done: () => {
      if (tty && last) io.stderr.write('\r\u001b[2K');
    },
  };
}
