import { readFileSync, readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { InputError } from '../errors.js';
import type { KubeObject } from '../model/k8s.js';
import type { Locator } from '../model/source-location.js';
import { kustomizationFile, renderKustomization, renderWithKubectl } from './manifests-kustomize.js';
import type { Renderer } from './manifests-kustomize.js';
import { locateInOrigin, parseManifestText } from './manifests-yaml.js';
import type { ObjectOrigin, ParsedManifest } from './manifests-yaml.js';
import type { Redactor } from './redact.js';
import type { SourceResult } from './source-result.js';

export interface ManifestOptions {
  readonly stdin?: NodeJS.ReadableStream;
  /** Renders a kustomize folder (default: `kubectl kustomize`, then `kustomize build`). */
  readonly render?: Renderer;
}

const manifestExtension = /\.(ya?ml|json)$/i;
/** Folders that never hold manifests to lint. */
const skippedFolders = new Set(['node_modules', '.git']);

/**
 * The manifests source: YAML/JSON files, folders (recursively), kustomize folders (rendered)
 * and `-` for stdin (e.g. `helm template … | kubetriage lint -`). Every object keeps where
 * it was written, so findings carry file, line and column.
 */
export async function readManifests(paths: readonly string[], redactor: Redactor, options: ManifestOptions = {}): Promise<SourceResult> {
  const parsed: ParsedManifest[] = [];
  const notes: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      const text = await readAll(options.stdin ?? process.stdin);
      parsed.push(...parseManifestText(text, '<stdin>'));
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new InputError({ file: path }, 'no such file or directory');
    if (info.isDirectory()) await readFolder(normalize(path), parsed, options.render ?? renderWithKubectl, notes);
    else parsed.push(...parseManifestText(await readFile(path, 'utf8'), normalize(path)));
  }
  const origins = new WeakMap<KubeObject, ObjectOrigin>();
  const objects: KubeObject[] = [];
  for (const { object, origin } of parsed) {
    if (typeof object.kind !== 'string' || object.kind === '') continue;
    const redacted = redactor.redactObject(object);
    origins.set(redacted, origin);
    objects.push(redacted);
  }
  const locate: Locator = (object, path) => {
    const origin = origins.get(object);
    return origin ? locateInOrigin(origin, path) : undefined;
  };
  if (objects.length === 0) notes.push(`no Kubernetes objects found in ${paths.join(', ')}`);
  return { objects, logs: [], notes, locate };
}

async function readFolder(dir: string, parsed: ParsedManifest[], render: Renderer, notes: string[]): Promise<void> {
  const kustomization = kustomizationFile(dir);
  if (kustomization) {
    const rendered = await renderKustomization(dir, kustomization, render);
    parsed.push(rendered.kustomization, ...rendered.objects);
    notes.push(`rendered ${dir} with kustomize (${rendered.objects.length} objects)`);
    return;
  }
  // Synchronous reads: thousands of small files are read several times faster than with one await each.
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name) && !entry.name.startsWith('.')) await readFolder(path, parsed, render, notes);
    } else if (entry.isFile() && manifestExtension.test(entry.name) && !isNonManifest(entry.name)) {
      const text = readFileSync(path, 'utf8');
      if (!looksLikeKubernetes(text)) {
        notes.push(`skipped ${path}: no apiVersion/kind, not a Kubernetes manifest`);
        continue;
      }
      parsed.push(...parseManifestText(text, path));
    }
  }
}

/** In a folder, YAML of other tools (CI config, app settings) is skipped rather than rejected. */
function looksLikeKubernetes(text: string): boolean {
  return /^\s*"?kind"?\s*:/m.test(text) && /^\s*"?apiVersion"?\s*:/m.test(text);
}

/** YAML files in a repository that are not Kubernetes objects (config of other tools). */
function isNonManifest(name: string): boolean {
  return /^(\.kubetriage|package(-lock)?|tsconfig|values(\..*)?|Chart|\.pre-commit-config|docker-compose.*|\.gitlab-ci)\.(ya?ml|json)$/i.test(name);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
