import { writeFile } from 'node:fs/promises';
import pc from 'picocolors';
import type { ScanResult, Severity } from '../engine/types.js';
import { severities } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { isFormat, reporters } from '../report/index.js';
import type { TextStyle } from '../report/text.js';
import type { CliIo } from './io.js';

export interface OutputOptions {
  readonly format: string;
  readonly output?: string | undefined;
  readonly color?: boolean | undefined;
}

/** Colour only on a terminal, never with NO_COLOR, never into a file. */
export function useColor(io: CliIo, options: OutputOptions): boolean {
  if (options.color === false || options.output) return false;
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

export function colorStyle(): TextStyle {
  const colors = pc.createColors(true);
  return { bold: colors.bold, dim: colors.dim, red: colors.red, yellow: colors.yellow, blue: colors.blue, green: colors.green, cyan: colors.cyan };
}

export async function writeResult(result: ScanResult, io: CliIo, options: OutputOptions): Promise<void> {
  if (!isFormat(options.format)) {
    throw new UsageError(`unknown --format "${options.format}": expected one of ${Object.keys(reporters).join(', ')}`);
  }
  const text = reporters[options.format](result, useColor(io, options) ? { style: colorStyle() } : {});
  if (options.output) await writeFile(options.output, text);
  else io.stdout.write(text);
}

export function parseSeverity(value: string, flag: string): Severity {
  if ((severities as readonly string[]).includes(value)) return value as Severity;
  throw new UsageError(`${flag} "${value}": expected one of ${severities.join(', ')}`);
}

/** 1 when a finding at or above the threshold exists, else 0. */
export function exitCodeFor(result: ScanResult, failOn: Severity | undefined): number {
  if (failOn === undefined) return 0;
  const threshold = severities.indexOf(failOn);
  return result.findings.some((f) => severities.indexOf(f.severity) <= threshold) ? 1 : 0;
}
