import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, formatPosition } from '../errors.js';
import { DumpScanner } from './dump-scanner.js';
import type { Redactor } from './redact.js';
import { SnapshotCollector } from './snapshot-collector.js';
import type { SourceResult } from './source-result.js';

/** What a directory walk reads: kubectl JSON, cluster-info dump logs, kubetriage bundles. */
const readableFile = /\.(json|json\.gz|gz|txt|log)$/i;
const chunkSize = 1024 * 1024;

/**
 * The offline source: `kubectl get -o json` output (List, typed list, single objects, several
 * documents one after another), `kubectl cluster-info dump` (its stdout stream with log
 * blocks, or its --output-directory tree) and kubetriage bundles (gzip), from a file, a
 * directory (recursively) or stdin (`-`). Everything streams: see dump-scanner.ts.
 *
 * An error inside one document of several keeps the other documents and says so in the
 * notes; input with nothing sound in it is an InputError (exit code 2).
 */
export async function readSnapshot(path: string, redactor: Redactor, stdin?: NodeJS.ReadableStream): Promise<SourceResult> {
  const collector = new SnapshotCollector(redactor);
  const inputs = path === '-' ? ['-'] : await listInputs(path, collector.notes);
  const problems: InputError[] = [];
  const empty: string[] = [];
  for (const input of inputs) {
    const file = input === '-' ? '<stdin>' : input;
    collector.beginInput(file);
    const scanner = new DumpScanner(file, collector);
    try {
      for await (const chunk of openInput(input, file, stdin)) scanner.push(chunk);
      scanner.end();
      if (!scanner.sawInput) empty.push(file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const dropped = collector.abandonDocument();
      problems.push(dropped > 0 ? new InputError(error.position, `${problemOf(error)}; dropped the ${dropped} object${dropped === 1 ? '' : 's'} already read from this document`) : error);
    }
  }
  collector.finish();
  const sound = collector.units > 0;
  if (!sound) {
    if (problems[0]) throw problems[0];
    const what = 'expected JSON as printed by kubectl get -o json or kubectl cluster-info dump, or a kubetriage bundle';
    if (empty.length > 0) throw new InputError({ file: empty[0] ?? path, byte: 0, line: 1, column: 1 }, `${inputs.length > 1 ? 'all inputs are empty' : 'the input is empty'}: ${what} (byte 0)`);
    throw new InputError({ file: path }, `no readable files (.json, .json.gz, logs .txt/.log) in this directory: ${what}`);
  }
  const notes = [...(collector.header?.notes ?? []), ...collector.notes];
  for (const problem of problems) notes.push(`partial result: ${problem.message}; the rest was read`);
  for (const file of empty) notes.push(`${file}: empty, skipped`);
  const capturedAt = collector.header ? new Date(collector.header.capturedAt) : undefined;
  return { objects: collector.objects, logs: collector.logs, notes, ...(capturedAt ? { capturedAt } : {}) };
}

/** Files under a path, in a stable order; a file given by name is read whatever its name. */
async function listInputs(path: string, notes: string[]): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new InputError({ file: path }, 'no such file or directory');
  });
  if (!info.isDirectory()) return [path];
  const files: string[] = [];
  const skipped: string[] = [];
  await walk(path, files, skipped);
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 3).map((f) => relative(path, f)).join(', ');
    notes.push(`${path}: skipped ${skipped.length} files that are not JSON, gzip or logs (${shown}${skipped.length > 3 ? ', …' : ''}); manifests in YAML are for kubetriage lint`);
  }
  return files;
}

async function walk(directory: string, files: string[], skipped: string[]): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(directory, entry.name);
    if (entry.isDirectory()) await walk(full, files, skipped);
    else if (readableFile.test(entry.name)) files.push(full);
    else if (entry.isFile()) skipped.push(full);
  }
}

/** The bytes of one input, gunzipped when they start with the gzip magic. */
async function* openInput(input: string, file: string, stdin: NodeJS.ReadableStream | undefined): AsyncGenerator<Buffer> {
  const raw: AsyncIterable<Buffer | string> = input === '-' ? (stdin ?? process.stdin) : createReadStream(input, { highWaterMark: chunkSize });
  const iterator = raw[Symbol.asyncIterator]();
  let first = Buffer.alloc(0);
  // Two bytes decide; stdin may hand them over one at a time.
  while (first.length < 2) {
    const next = await iterator.next();
    if (next.done === true) break;
    first = Buffer.concat([first, toBuffer(next.value)]);
  }
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield toBuffer(next.value);
    }
  }
  if (first[0] !== 0x1f || first[1] !== 0x8b) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  pipeline(Readable.from(rest()), gunzip, () => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    throw new InputError({ file }, `expected gzip data (a kubetriage bundle or a gzipped dump), but it is corrupt or truncated: ${(error as Error).message}`);
  }
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

function problemOf(error: InputError): string {
  const prefix = `${formatPosition(error.position)}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
