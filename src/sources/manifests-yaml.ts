import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InputError } from '../errors.js';
import type { KubeObject } from '../model/k8s.js';
import type { FieldPath, SourceLocation } from '../model/source-location.js';
import { objectsFromDocument } from './normalize.js';

/** Where one object was written: its file, the YAML document, and its path inside it (List items). */
export interface ObjectOrigin {
  readonly file: string;
  readonly document: Document;
  readonly lines: LineCounter;
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
  for (const { value, origin } of parseYamlDocuments(text, file)) {
    const at = origin.lines.linePos((origin.document.contents)?.range?.[0] ?? 0);
    const objects = objectsFromDocument(value, { file, line: at.line, column: at.col });
    const isList = !Array.isArray(value) && objects.length > 0 && objects[0] !== value;
    objects.forEach((object, index) => {
      const prefix: FieldPath = Array.isArray(value) ? [index] : isList ? ['items', index] : [];
      parsed.push({ object, origin: { ...origin, prefix } });
    });
  }
  return parsed;
}

/** Every non-empty document of a YAML stream as plain data, with where it was written; YAML errors name file:line:column. */
export function parseYamlDocuments(text: string, file: string): { value: unknown; origin: ObjectOrigin }[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  // parseAllDocuments returns an EmptyStream (not an array) for a stream without documents.
  if (!Array.isArray(documents)) return [];
  const result: { value: unknown; origin: ObjectOrigin }[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const position = lines.linePos(error.pos[0]);
      throw new InputError({ file, line: position.line, column: position.col }, `invalid YAML: ${firstLine(error.message)}`);
    }
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    result.push({ value, origin: { file, document, lines, prefix: [] } });
  }
  return result;
}

/**
 * The line and column of a field: the key of the deepest part of the path that exists in
 * the document (so a missing `resources:` points at the container that lacks it).
 */
export function locateInOrigin(origin: ObjectOrigin, path: FieldPath): SourceLocation {
  let node: unknown = origin.document.contents;
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
  const position = origin.lines.linePos(offset);
  return { file: origin.file, line: position.line, column: position.col };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
