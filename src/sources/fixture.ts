import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { splitLogBlocks } from './log-blocks.js';
import { objectsFromDocument } from './normalize.js';
import { redactText } from './redact.js';
import type { Redactor } from './redact.js';
import type { SourceResult } from './source-result.js';

/**
 * Reads one rule fixture: kubectl JSON (normalized and redacted like any snapshot) plus the
 * container logs in `<fixture>.log`, in the block format `kubectl cluster-info dump` prints.
 * Used by the rule tests and by the docs generator for its examples.
 */
export function readFixture(path: string, redactor: Redactor): SourceResult {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError({ file: path }, `expected kubectl JSON: ${(error as Error).message}`);
  }
  const objects = objectsFromDocument(document, { file: path }).map((o) => redactor.redactObject(o));
  const logPath = path.replace(/\.json$/, '.log');
  const logs = existsSync(logPath) ? splitLogBlocks(readFileSync(logPath, 'utf8')).logs.map((log) => ({ ...log, text: redactText(log.text) })) : [];
  return { objects, logs, notes: [] };
}
