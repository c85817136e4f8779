import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';

/** A version a repository declares for one of its packages. */
export interface RepoPackage {
  /** Path of the manifest relative to the repository root: `package.json`, `services/api/pyproject.toml`. */
  readonly file: string;
  /** Directory of the manifest relative to the root ('' for the root itself). */
  readonly directory: string;
  readonly name?: string;
  readonly version: string;
}

export interface RepoHead {
  readonly commit: string;
  /** Uncommitted changes in the working tree: an image built from it matches no commit. */
  readonly dirty: boolean;
  /** Tags pointing at HEAD (`v1.7.3`). */
  readonly tags: readonly string[];
}

/** What `--repo DIR` tells rules: the versions the source declares and the commit it is at. */
export interface RepoVersions {
  readonly root: string;
  /** The repository's directory name, which often names its image. */
  readonly name: string;
  readonly packages: readonly RepoPackage[];
  readonly head?: RepoHead;
}

const skippedDirectories = new Set(['node_modules', '.git', 'dist', 'build', 'out', '.venv', 'venv', 'vendor', '.tox', '.next', 'coverage', 'target', '__pycache__']);
const maxDepth = 4;

/**
 * Reads the versions a repository declares (package.json, pyproject.toml — [project] or
 * [tool.poetry]) down to a few levels, and its git HEAD when git is available. Exit 2 when
 * the path is not a directory.
 */
export function readRepoVersions(dir: string): RepoVersions {
  const root = resolve(dir);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new InputError({ file: dir }, 'expected a directory: the source repository to compare deployed image tags with (--repo DIR)');
  const packages: RepoPackage[] = [];
  const walk = (current: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return; // unreadable subdirectory: skip it, the rest still counts
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && !skippedDirectories.has(entry.name) && !entry.name.startsWith('.')) walk(path, depth + 1);
      } else if (entry.name === 'package.json' || entry.name === 'pyproject.toml') {
        const found = readManifest(path, entry.name);
        if (found) packages.push({ file: relative(root, path), directory: relative(root, current), ...found });
      }
    }
  };
  walk(root, 0);
  const head = readHead(root);
  return { root, name: basename(root), packages, ...(head ? { head } : {}) };
}

function readManifest(path: string, file: string): { name?: string; version: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (file === 'package.json') {
    try {
      const json = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (typeof json.version !== 'string' || json.version === '') return undefined;
      return { ...(typeof json.name === 'string' ? { name: json.name } : {}), version: json.version };
    } catch {
      return undefined; // a broken package.json declares nothing usable
    }
  }
  return pyprojectVersion(text);
}

/** `name`/`version` of the [project] (PEP 621) or [tool.poetry] table; enough TOML for these two keys. */
export function pyprojectVersion(text: string): { name?: string; version: string } | undefined {
  const tables = new Map<string, Map<string, string>>();
  let table = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^[\]]+)\]\s*(?:#.*)?$/.exec(line);
    if (header?.[1]) {
      table = header[1].trim();
      continue;
    }
    const pair = /^(name|version)\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (pair?.[1]) {
      const values = tables.get(table) ?? new Map<string, string>();
      values.set(pair[1], pair[2] ?? pair[3] ?? '');
      tables.set(table, values);
    }
  }
  for (const name of ['project', 'tool.poetry']) {
    const values = tables.get(name);
    const version = values?.get('version');
    if (version) {
      const packageName = values?.get('name');
      return { ...(packageName ? { name: packageName } : {}), version };
    }
  }
  return undefined;
}

function git(root: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return undefined; // no git, or not a repository: versions from the manifests still count
  }
}

function readHead(root: string): RepoHead | undefined {
  const commit = git(root, ['rev-parse', 'HEAD']);
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  const status = git(root, ['status', '--porcelain', '--untracked-files=no']);
  const tags = git(root, ['tag', '--points-at', 'HEAD']);
  return { commit, dirty: (status ?? '') !== '', tags: (tags ?? '').split('\n').filter((t) => t !== '') };
}
