import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InputError } from '../errors.js';
import type { KubeObject } from '../model/k8s.js';
import type { FieldPath, SourceLocation } from '../model/source-location.js';
import { objectsFromDocument } from './normalize.js';

/**
 * The text of one file. Its YAML syntax trees are rebuilt only when a finding needs a
 * position: holding thousands of them would cost more memory and garbage collection than
 * parsing the few files with findings a second time.
 */
export interface SourceText {
  readonly file: string;
  readonly text: string;
  parsed?: { readonly documents: readonly Document[]; readonly lines: LineCounter };
}

/** Where one object was written: its file, which document of it, and its path inside that document (List items). */
export interface ObjectOrigin {
  readonly file: string;
  readonly source: SourceText;
  /** Index among the file's documents, empty ones included. */
  readonly index: number;
  /** Path of the object inside its document: [] for a plain document, ['items', 3] for a List item. */
  readonly prefix: FieldPath;
}

export interface ParsedManifest {
  readonly object: KubeObject;
  readonly origin: ObjectOrigin;
}

/**
 * Parses a YAML (or JSON, which is YAML) stream of Kubernetes objects and keeps, for every
 * object, the document it came from, so fields can be located later.
 */
export function parseManifestText(text: string, file: string): ParsedManifest[] {
  const parsed: ParsedManifest[] = [];
  for (const { value, origin, line, column } of parseYamlDocuments(text, file)) {
    const objects = objectsFromDocument(value, { file, line, column });
    const isList = !Array.isArray(value) && objects.length > 0 && objects[0] !== value;
    objects.forEach((object, index) => {
      const prefix: FieldPath = Array.isArray(value) ? [index] : isList ? ['items', index] : [];
      parsed.push({ object, origin: { ...origin, prefix } });
    });
  }
  return parsed;
}

/** Every non-empty document of a YAML stream as plain data, with where it was written; YAML errors name file:line:column. */
export function parseYamlDocuments(text: string, file: string): { value: unknown; origin: ObjectOrigin; line: number; column: number }[] {
  const { documents, lines } = parseText(text);
  const source: SourceText = { file, text };
  const result: { value: unknown; origin: ObjectOrigin; line: number; column: number }[] = [];
  documents.forEach((document, index) => {
    const error = document.errors[0];
    if (error) {
      const position = lines.linePos(error.pos[0]);
      throw new InputError({ file, line: position.line, column: position.col }, `invalid YAML: ${firstLine(error.message)}`);
    }
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    const at = lines.linePos(document.contents?.range?.[0] ?? 0);
    result.push({ value, origin: { file, source, index, prefix: [] }, line: at.line, column: at.col });
  });
  return result;
}

function parseText(text: string): { documents: readonly Document[]; lines: LineCounter } {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  // parseAllDocuments returns an EmptyStream (not an array) for a stream without documents.
  return { documents: Array.isArray(documents) ? documents : [], lines };
}

/**
 * The line and column of a field: the key of the deepest part of the path that exists in
 * the document (so a missing `resources:` points at the container that lacks it).
 */
export function locateInOrigin(origin: ObjectOrigin, path: FieldPath): SourceLocation {
  origin.source.parsed ??= parseText(origin.source.text);
  const { documents, lines } = origin.source.parsed;
  let node: unknown = documents[origin.index]?.contents;
  let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
  for (const segment of [...origin.prefix, ...path]) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!item) break;
      offset = (item as YamlNode).range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const position = lines.linePos(offset);
  return { file: origin.file, line: position.line, column: position.col };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
