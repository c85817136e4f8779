import { InputError } from '../errors.js';
import type { InputPosition } from '../errors.js';
import type { KubeObject } from '../model/k8s.js';

/**
 * Turns one parsed JSON/YAML document into Kubernetes objects: a single object, a `List`
 * or typed list (`PodList`, whose items the API server sends without kind/apiVersion), or
 * a JSON array of objects. Bulk rules never read (managedFields) is dropped here, at
 * ingestion, to bound memory on large dumps.
 */
export function objectsFromDocument(document: unknown, position: InputPosition): KubeObject[] {
  if (Array.isArray(document)) {
    return document.flatMap((item) => objectsFromDocument(item, position));
  }
  if (document === null || typeof document !== 'object') {
    throw new InputError(position, `expected a Kubernetes object or list (JSON object with "kind"), found ${describe(document)}`);
  }
  const record = document as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(record.items)) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    const apiVersion = typeof record.apiVersion === 'string' && record.apiVersion !== 'v1' ? record.apiVersion : undefined;
    const objects: KubeObject[] = [];
    for (const item of record.items as unknown[]) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new InputError(position, `expected every item of the ${kind} to be an object, found ${describe(item)}`);
      }
      objects.push(normalizeObject(item as Record<string, unknown>, itemKind, apiVersion));
    }
    return objects;
  }
  if (typeof kind !== 'string') {
    if (Object.keys(record).length === 0) return [];
    throw new InputError(position, 'expected a Kubernetes object with a "kind" field, found an object without one');
  }
  return [normalizeObject(record, undefined, undefined)];
}

/** Fills kind/apiVersion from the enclosing list and drops bulk. Mutates: the source owns the object. */
export function normalizeObject(item: Record<string, unknown>, kind: string | undefined, apiVersion: string | undefined): KubeObject {
  if (typeof item.kind !== 'string' && kind) item.kind = kind;
  if (typeof item.apiVersion !== 'string' && apiVersion) item.apiVersion = apiVersion;
  const metadata = item.metadata;
  if (metadata !== null && typeof metadata === 'object') {
    const meta = metadata as Record<string, unknown>;
    delete meta.managedFields;
    const annotations = meta.annotations as Record<string, unknown> | undefined;
    if (annotations && typeof annotations === 'object') delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  if (item.kind === 'CustomResourceDefinition') dropSchemas(item.spec);
  return item;
}

/** A CRD's OpenAPI schemas are often hundreds of KB each and no rule reads them. */
function dropSchemas(spec: unknown): void {
  if (spec === null || typeof spec !== 'object') return;
  const record = spec as Record<string, unknown>;
  delete record.validation;
  if (!Array.isArray(record.versions)) return;
  for (const version of record.versions as unknown[]) {
    if (version !== null && typeof version === 'object') delete (version as Record<string, unknown>).schema;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string ("${value.length > 30 ? `${value.slice(0, 30)}…` : value}")`;
  return `a ${typeof value}`;
}
