import { PassThrough, Writable } from 'node:stream';
import { main } from '../../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output and a fixed clock. */
export async function runCli(args: readonly string[], options: { env?: Record<string, string>; now?: Date; stderrIsTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const err = Object.assign(sink((t) => (stderr += t)), { isTTY: options.stderrIsTTY ?? false });
  const code = await main(args, {
    stdout: sink((t) => (stdout += t)),
    stderr: err,
    stdin: new PassThrough(),
    env: { HOME: '/nonexistent', ...options.env },
    cwd: process.cwd(),
    now: () => options.now ?? new Date('2026-11-23T10:00:00Z'),
  });
  return { code, stdout, stderr };
}
