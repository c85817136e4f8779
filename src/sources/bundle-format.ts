// The snapshot bundle `kubetriage snapshot` writes and `scan --snapshot` reads: a gzip
// stream of JSON documents shaped like a `kubectl cluster-info dump`, led by one header
// document. The writer (the live source) and the reader (snapshot.ts) share only this file.
//
//   { "kind": "KubetriageSnapshot", "apiVersion": "kubetriage.io/v1",
//     "capturedAt": "2026-11-23T09:30:00Z", "source": "context prod-eu", "notes": [] }
//   { "kind": "List", "apiVersion": "v1", "items": [ …objects, secrets already redacted… ] }
//   ==== START logs for container api of pod shop/api-7d9c-x2x ====
//   …log lines…
//   ==== END logs for container api of pod shop/api-7d9c-x2x ====
//
// Any number of documents and log blocks may follow the header, in any order.

export const bundleKind = 'KubetriageSnapshot';
export const bundleApiVersion = 'kubetriage.io/v1';
/** The file name ending the writer should use; the reader recognises gzip by its magic bytes. */
export const bundleExtension = '.json.gz';

export interface BundleHeader {
  readonly kind: typeof bundleKind;
  readonly apiVersion: typeof bundleApiVersion;
  /** ISO 8601 time the state was read; scans of the bundle judge ages against it. */
  readonly capturedAt: string;
  /** Where the state came from, e.g. `context prod-eu`. */
  readonly source: string;
  /** What the capture could not read (kinds denied, logs skipped): shown with every scan of it. */
  readonly notes: readonly string[];
}

export function createBundleHeader(capturedAt: Date, source: string, notes: readonly string[]): BundleHeader {
  return { kind: bundleKind, apiVersion: bundleApiVersion, capturedAt: capturedAt.toISOString(), source, notes: [...notes] };
}

/** Whether a parsed document is a bundle header (of any version: the reader checks the version). */
export function isBundleHeaderDocument(document: unknown): document is Record<string, unknown> {
  return document !== null && typeof document === 'object' && (document as Record<string, unknown>).kind === bundleKind;
}

/** The header's fields, or the reason it cannot be read. */
export function parseBundleHeader(document: Record<string, unknown>): BundleHeader | string {
  if (document.apiVersion !== bundleApiVersion) {
    return `expected a ${bundleKind} header with apiVersion ${bundleApiVersion}, found ${JSON.stringify(document.apiVersion ?? null)} (written by a newer kubetriage?)`;
  }
  const capturedAt = document.capturedAt;
  if (typeof capturedAt !== 'string' || Number.isNaN(new Date(capturedAt).getTime())) {
    return `expected the ${bundleKind} header to hold capturedAt as an ISO 8601 time`;
  }
  const notes = Array.isArray(document.notes) ? document.notes.filter((n): n is string => typeof n === 'string') : [];
  const source = typeof document.source === 'string' ? document.source : '';
  return { kind: bundleKind, apiVersion: bundleApiVersion, capturedAt, source, notes };
}

/** The line opening a container's log block (the format of `kubectl cluster-info dump`). */
export function logBlockStart(namespace: string, pod: string, container: string, previous = false): string {
  return `==== START logs for container ${container} of pod ${namespace}/${pod}${previous ? ' (previous)' : ''} ====`;
}

/** The line closing a container's log block. */
export function logBlockEnd(namespace: string, pod: string, container: string, previous = false): string {
  return `==== END logs for container ${container} of pod ${namespace}/${pod}${previous ? ' (previous)' : ''} ====`;
}
