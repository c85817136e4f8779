import type { ContainerLog } from '../model/cluster-model.js';
import type { KubeObject } from '../model/k8s.js';
import { ClusterError } from '../errors.js';
import { ApiError } from './live/api-client.js';
import type { ApiClient } from './live/api-client.js';
import { discoverKinds } from './live/discovery.js';
import type { ServedKind } from './live/discovery.js';
import { kindSpecs } from './live/kinds.js';
import type { KindSpec } from './live/kinds.js';
import { listKind } from './live/list-kind.js';
import { containersNeedingLogs } from './live/log-selection.js';
import type { LogRequest } from './live/log-selection.js';
import { mapLimit } from './live/map-limit.js';
import { normalizeObject } from './normalize.js';
import { redactText } from './redact.js';
import type { Redactor } from './redact.js';
import type { SourceResult } from './source-result.js';

export interface LiveProgressState {
  readonly kindsListed: number;
  readonly kindsTotal: number;
  readonly objects: number;
  readonly logsFetched: number;
  readonly logsWanted: number;
}

export interface LiveReadOptions {
  readonly client: ApiClient;
  readonly redactor: Redactor;
  /** Only this namespace (namespaced kinds are listed in it; cluster-scoped kinds in full). */
  readonly namespace?: string | undefined;
  /** Objects per LIST page. */
  readonly pageSize?: number;
  /** LIST calls in flight at once. */
  readonly concurrency?: number;
  readonly logs?: Partial<LogLimits>;
  readonly kinds?: readonly KindSpec[];
  readonly onProgress?: (state: LiveProgressState) => void;
}

export interface LogLimits {
  readonly concurrency: number;
  readonly tailLines: number;
  readonly limitBytes: number;
  /** At most this many container logs per scan; the rest are noted, not fetched. */
  readonly maxContainers: number;
}

const defaultLogLimits: LogLimits = { concurrency: 5, tailLines: 200, limitBytes: 128 * 1024, maxContainers: 100 };

/**
 * Reads a cluster through its API: discovery, one paginated LIST per served kind (events
 * included, once for the whole scope), then the logs of the containers that crashed or
 * failed. Every object goes through the same normalize + redact path as a snapshot. Kinds
 * that cannot be read become notes; the scan goes on with what it has.
 */
export async function readLive(options: LiveReadOptions): Promise<SourceResult> {
  const { client, redactor } = options;
  const concurrency = options.concurrency ?? 6;
  const limits = { ...defaultLogLimits, ...options.logs };
  const { served, notes } = await discoverKinds(client, options.kinds ?? kindSpecs, concurrency);

  const progress = { kindsListed: 0, kindsTotal: served.length, objects: 0, logsFetched: 0, logsWanted: 0 };
  const report = (): void => options.onProgress?.({ ...progress });
  report();

  const failures: { served: ServedKind; error: ApiError }[] = [];
  const perKind = await mapLimit(served, concurrency, async (kind) => {
    try {
      const items = await listKind(client, kind, options.namespace, options.pageSize ?? 500);
      const objects = items.map((item) => redactor.redactObject(normalizeObject(item, kind.spec.kind, kind.groupVersion)));
      progress.kindsListed++;
      progress.objects += objects.length;
      report();
      return objects;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failures.push({ served: kind, error });
      progress.kindsListed++;
      report();
      return [];
    }
  });
  const objects: KubeObject[] = perKind.flat();

  const required = served.filter((kind) => !kind.spec.optional);
  const failedRequired = failures.filter((failure) => !failure.served.spec.optional);
  if (required.length > 0 && failedRequired.length === required.length) {
    const first = failedRequired[0]?.error;
    throw new ClusterError(`could not list any kind on ${client.server} (context ${client.contextName})${first ? `: ${first.describe()}` : ''}`);
  }
  for (const { served: kind, error } of sortFailures(failures)) notes.push(listFailureNote(kind, error, options.namespace));

  const logs = await fetchLogs(client, objects.filter((o) => o.kind === 'Pod'), limits, notes, (fetched, wanted) => {
    progress.logsFetched = fetched;
    progress.logsWanted = wanted;
    report();
  });
  return { objects, logs, notes };
}

function sortFailures<T extends { served: ServedKind }>(failures: T[]): T[] {
  const order = new Map(kindSpecs.map((spec, index) => [spec.kind, index]));
  return failures.sort((a, b) => (order.get(a.served.spec.kind) ?? 0) - (order.get(b.served.spec.kind) ?? 0));
}

function listFailureNote(kind: ServedKind, error: ApiError, namespace: string | undefined): string {
  const scope = kind.namespaced ? (namespace === undefined ? ' in all namespaces' : ` in namespace ${namespace}`) : '';
  const what = `${kind.spec.kind} (${kind.groupVersion} ${kind.spec.resource}${scope})`;
  if (error.status === 403) {
    return `${what} could not be read: forbidden by RBAC (${error.describe()}). Findings that need it are missing: ${kind.spec.hides}.`;
  }
  return `partial result: ${what} could not be listed (${error.describe()}), after retries. Findings that need it are missing: ${kind.spec.hides}.`;
}

async function fetchLogs(
  client: ApiClient,
  pods: readonly KubeObject[],
  limits: LogLimits,
  notes: string[],
  onProgress: (fetched: number, wanted: number) => void,
): Promise<ContainerLog[]> {
  const wanted = containersNeedingLogs(pods);
  const requests = wanted.slice(0, limits.maxContainers);
  if (wanted.length > requests.length) {
    notes.push(`logs fetched for ${requests.length} of ${wanted.length} crashed, failed or unready containers (limit ${limits.maxContainers}); log-based causes are missing for the others`);
  }
  let fetched = 0;
  const denied: string[] = [];
  const failed: string[] = [];
  onProgress(0, requests.length);
  const results = await mapLimit(requests, limits.concurrency, async (request): Promise<ContainerLog | undefined> => {
    try {
      const text = await client.getText(logPath(request), {
        container: request.container,
        previous: request.previous ? true : undefined,
        tailLines: limits.tailLines,
        limitBytes: limits.limitBytes,
      }, { attempts: 2, baseDelayMs: 250 });
      return { namespace: request.namespace, pod: request.pod, container: request.container, previous: request.previous, text: redactText(text.replace(/\n$/, '')) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // 400/404: the previous instance is gone or the pod never ran on a node; nothing to read.
      if (error.status === 403) denied.push(describeRequest(request));
      else if (error.status !== 400 && error.status !== 404) failed.push(`${describeRequest(request)} (${error.describe()})`);
      return undefined;
    } finally {
      onProgress(++fetched, requests.length);
    }
  });
  if (denied.length > 0) notes.push(`container logs could not be read: forbidden by RBAC (pods/log) for ${summarizeList(denied)}; causes found in logs are missing`);
  if (failed.length > 0) notes.push(`partial result: container logs could not be fetched for ${summarizeList(failed)}`);
  return results.filter((log): log is ContainerLog => log !== undefined);
}

function logPath(request: LogRequest): string {
  return `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(request.pod)}/log`;
}

function describeRequest(request: LogRequest): string {
  return `${request.namespace}/${request.pod} container ${request.container}${request.previous ? ' (previous)' : ''}`;
}

function summarizeList(items: readonly string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}
