import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const manifests = join(root, 'test', 'e2e', 'manifests');
const bin = join(root, 'bin', 'kubetriage.js');

export interface Run { code: number; stdout: string; stderr: string }

/** Runs the built CLI from the repository root (so paths in findings are relative), optionally feeding stdin. */
export function kubetriage(args: readonly string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? root,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

export interface JsonFinding {
  rule: string;
  severity: string;
  object: { kind: string; namespace?: string; name: string };
  message: string;
  location?: { file: string; line: number; column?: number };
}

export interface JsonReport { findings: JsonFinding[]; notes: string[]; summary: Record<string, number> }

export async function lintJson(args: readonly string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<JsonReport & { code: number; stderr: string }> {
  const result = await kubetriage(['lint', ...args, '--format', 'json'], options);
  if (result.stdout === '') throw new Error(`no output (exit ${result.code}): ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as JsonReport), code: result.code, stderr: result.stderr };
}

/** The 1-based line of the first line containing `text` (after `after`, when given). */
export function lineOf(file: string, text: string, after?: string): number {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

export const here = dirname(fileURLToPath(import.meta.url));
