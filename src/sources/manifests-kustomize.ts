import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, normalize, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { KubeObject } from '../model/k8s.js';
import { parseManifestText, parseYamlDocuments } from './manifests-yaml.js';
import type { ParsedManifest } from './manifests-yaml.js';

export const kustomizationFileNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of a folder, when it has one. */
export function kustomizationFile(dir: string): string | undefined {
  return kustomizationFileNames.map((name) => join(dir, name)).find((file) => existsSync(file));
}

/** Runs a renderer and returns its stdout; undefined when the program is not installed. */
export type Renderer = (dir: string) => Promise<string | undefined>;

function runProgram(program: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        resolve(undefined);
        return;
      }
      reject(new Error(stderr.trim() || error.message));
    });
  });
}

/** `kubectl kustomize DIR`, falling back to `kustomize build DIR`. */
export const renderWithKubectl: Renderer = async (dir) =>
  (await runProgram('kubectl', ['kustomize', dir])) ?? (await runProgram('kustomize', ['build', dir]));

export interface RenderedKustomization {
  /** The kustomization file itself, as an object of kind Kustomization (it is linted too). */
  readonly kustomization: ParsedManifest;
  /** The rendered objects, each traced to the resource file it came from where possible. */
  readonly objects: ParsedManifest[];
}

/**
 * Renders a kustomize folder and traces every rendered object back to the resource file
 * that defines it (same kind, and the same name up to kustomize's prefix/suffix), so
 * findings point at the file a person edits rather than at the rendered stream.
 */
export async function renderKustomization(dir: string, file: string, render: Renderer): Promise<RenderedKustomization> {
  const own = asKustomization(parseYamlDocuments(await readFile(file, 'utf8'), file), file, dir);
  let rendered: string | undefined;
  try {
    rendered = await render(dir);
  } catch (error) {
    throw new InputError({ file }, `kustomize could not render ${dir}: ${(error as Error).message}`);
  }
  if (rendered === undefined) {
    throw new InputError({ file }, `${dir} is a kustomize folder, but neither \`kubectl\` nor \`kustomize\` is on PATH to render it. Install one, or render it yourself: kustomize build ${dir} | kubetriage lint -`);
  }
  const sources = await collectResourceObjects(dir, new Set());
  const renderedObjects = parseManifestText(rendered, `${dir} (kustomize output)`);
  const objects = renderedObjects.map(({ object }) => {
    const source = traceToSource(object, sources);
    return { object, origin: source?.origin ?? own.origin };
  });
  return { kustomization: own, objects };
}

function asKustomization(documents: { value: unknown; origin: ParsedManifest['origin'] }[], file: string, dir: string): ParsedManifest {
  const first = documents[0];
  if (!first || typeof first.value !== 'object' || Array.isArray(first.value)) throw new InputError({ file }, 'expected a kustomization (a mapping with resources, labels, …)');
  const object = first.value as Record<string, unknown>;
  object.kind = 'Kustomization';
  object.apiVersion ??= 'kustomize.config.k8s.io/v1beta1';
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  metadata.name ??= normalize(dir) === '.' ? basename(resolve(dir)) : normalize(dir);
  // A kustomization has no namespace of its own; its `namespace:` field is for its resources.
  delete metadata.namespace;
  object.metadata = metadata;
  return { object: object, origin: first.origin };
}

/** Objects of every resource file a kustomization (and its bases) lists. */
async function collectResourceObjects(dir: string, seen: Set<string>): Promise<ParsedManifest[]> {
  const file = kustomizationFile(dir);
  if (!file || seen.has(normalize(dir))) return [];
  seen.add(normalize(dir));
  const [document] = parseYamlDocuments(await readFile(file, 'utf8'), file);
  const spec = (document?.value ?? {}) as { resources?: unknown; bases?: unknown; components?: unknown };
  const entries = [spec.resources, spec.bases, spec.components].flatMap((list): unknown[] => (Array.isArray(list) ? (list as unknown[]) : [])).filter((e): e is string => typeof e === 'string');
  const objects: ParsedManifest[] = [];
  for (const entry of entries) {
    if (/^[a-z]+:\/\/|^git@|^github\.com\//.test(entry)) continue; // remote bases cannot be traced
    const path = normalize(join(dir, entry));
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) objects.push(...(await collectResourceObjects(path, seen)));
    else {
      try {
        objects.push(...parseManifestText(await readFile(path, 'utf8'), path));
      } catch {
        // kustomize rendered it, so the tracing is what failed; the object keeps the kustomization's location.
      }
    }
  }
  return objects;
}

function traceToSource(object: KubeObject, sources: readonly ParsedManifest[]): ParsedManifest | undefined {
  const name = object.metadata?.name ?? '';
  const sameKind = sources.filter((s) => s.object.kind === object.kind);
  return (
    sameKind.find((s) => s.object.metadata?.name === name) ??
    sameKind
      .filter((s) => (s.object.metadata?.name ?? '') !== '' && name.includes(s.object.metadata?.name ?? ''))
      .sort((a, b) => (b.object.metadata?.name ?? '').length - (a.object.metadata?.name ?? '').length)[0]
  );
}
