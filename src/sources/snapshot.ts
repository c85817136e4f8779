import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { KubeObject } from '../model/k8s.js';
import { objectsFromDocument } from './normalize.js';
import type { Redactor } from './redact.js';
import type { SourceResult } from './source-result.js';

// Placeholder reader: whole files through JSON.parse. Replaced by the streaming reader.
export async function readSnapshot(path: string, redactor: Redactor, stdin?: NodeJS.ReadableStream): Promise<SourceResult> {
  const objects: KubeObject[] = [];
  const files = path === '-' ? ['-'] : await listFiles(path);
  for (const file of files) {
    const text = file === '-' ? await readAll(stdin ?? process.stdin) : await readFile(file, 'utf8');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new InputError({ file: file === '-' ? '<stdin>' : file }, `expected JSON as printed by kubectl get -o json: ${(error as Error).message}`);
    }
    for (const object of objectsFromDocument(document, { file })) objects.push(redactor.redactObject(object));
  }
  return { objects, logs: [], notes: [] };
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new InputError({ file: path }, 'no such file or directory');
  });
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(entries.sort((a, b) => a.name.localeCompare(b.name)).map((e) => listFiles(join(path, e.name))));
  return nested.flat().filter((f) => f.endsWith('.json'));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
