import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

// Turns a `kubectl cluster-info dump --output-directory` tree into the other shapes
// kubetriage accepts, so one cluster can be scanned in every form.

export interface DumpTree {
  /** Each JSON file: its path relative to the tree and its parsed (typed) list. */
  readonly lists: { path: string; list: Record<string, unknown> & { kind: string; items: Record<string, unknown>[] } }[];
  /** Each logs.txt, verbatim (START/END blocks). */
  readonly logs: string[];
}

export function readDumpTree(root: string): DumpTree {
  const lists: DumpTree['lists'] = [];
  const logs: string[] = [];
  const walk = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const full = join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) lists.push({ path: relative(root, full), list: JSON.parse(readFileSync(full, 'utf8')) as DumpTree['lists'][number]['list'] });
      else if (name === 'logs.txt') logs.push(readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return { lists, logs };
}

const itemKind = (listKind: string): string => listKind.slice(0, -'List'.length);
const pretty = (value: unknown): string => JSON.stringify(value, null, 4);

/** What `kubectl cluster-info dump` prints to stdout: typed lists, then the log blocks. */
export function clusterInfoStream(tree: DumpTree): string {
  return `${tree.lists.map((l) => pretty(l.list)).join('\n')}\n${tree.logs.join('')}`;
}

/** What `kubectl get X -o json; kubectl get Y -o json` prints: Lists whose items name their kind, keys sorted (kind after items). */
export function concatenatedLists(tree: DumpTree): string {
  const documents = tree.lists.map((l) => pretty({ apiVersion: 'v1', items: l.list.items.map((item) => ({ kind: itemKind(l.list.kind), ...item })), kind: 'List', metadata: { resourceVersion: '' } }));
  return `${documents.join('\n')}\n${tree.logs.join('')}`;
}

/** Typed lists with the kind after the items, which lack it: the items must wait for the list's kind. */
export function kindAfterItems(tree: DumpTree): string {
  const documents = tree.lists.map((l) => pretty({ apiVersion: l.list.apiVersion, items: l.list.items, kind: l.list.kind, metadata: l.list.metadata }));
  return `${documents.join('\n')}\n${tree.logs.join('')}`;
}

/** One `kind: List` holding every object (`kubectl get all,… -o json`), compact, then the logs. */
export function singleList(tree: DumpTree): string {
  const items = tree.lists.flatMap((l) => l.list.items.map((item) => ({ kind: itemKind(l.list.kind), ...item })));
  return `${JSON.stringify({ kind: 'List', apiVersion: 'v1', items })}\n${tree.logs.join('')}`;
}

export function gzip(text: string): Buffer {
  return gzipSync(Buffer.from(text));
}
