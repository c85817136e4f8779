import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One resource as a real API server's discovery documents describe it. */
export interface ServedResource {
  readonly groupVersion: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const core = (resource: string, kind: string, namespaced = true): ServedResource => ({ groupVersion: 'v1', resource, kind, namespaced });

/** What a current (1.30-ish) API server serves, for the kinds kubetriage reads. */
export const currentServer: readonly ServedResource[] = [
  core('namespaces', 'Namespace', false), core('nodes', 'Node', false), core('pods', 'Pod'), core('events', 'Event'),
  core('services', 'Service'), core('endpoints', 'Endpoints'), core('configmaps', 'ConfigMap'), core('secrets', 'Secret'),
  core('serviceaccounts', 'ServiceAccount'), core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  core('persistentvolumes', 'PersistentVolume', false), core('resourcequotas', 'ResourceQuota'), core('limitranges', 'LimitRange'),
  core('replicationcontrollers', 'ReplicationController'),
  { groupVersion: 'apps/v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { groupVersion: 'apps/v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { groupVersion: 'apps/v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { groupVersion: 'apps/v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { groupVersion: 'batch/v1', resource: 'jobs', kind: 'Job', namespaced: true },
  { groupVersion: 'batch/v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  { groupVersion: 'networking.k8s.io/v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  { groupVersion: 'networking.k8s.io/v1', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
  { groupVersion: 'networking.k8s.io/v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  { groupVersion: 'policy/v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true },
  { groupVersion: 'autoscaling/v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true },
  { groupVersion: 'storage.k8s.io/v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false },
  { groupVersion: 'discovery.k8s.io/v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { groupVersion: 'admissionregistration.k8s.io/v1', resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', namespaced: false },
  { groupVersion: 'external-secrets.io/v1beta1', resource: 'externalsecrets', kind: 'ExternalSecret', namespaced: true },
  { groupVersion: 'external-secrets.io/v1beta1', resource: 'secretstores', kind: 'SecretStore', namespaced: true },
];

/** Kubernetes 1.20: older versions of some groups, no EndpointSlice v1, no add-ons. */
export const kubernetes120: readonly ServedResource[] = currentServer
  .filter((r) => !r.groupVersion.startsWith('external-secrets.io'))
  .map((r) => {
    if (r.kind === 'CronJob') return { ...r, groupVersion: 'batch/v1beta1' };
    if (r.kind === 'PodDisruptionBudget') return { ...r, groupVersion: 'policy/v1beta1' };
    if (r.kind === 'EndpointSlice') return { ...r, groupVersion: 'discovery.k8s.io/v1beta1' };
    if (r.kind === 'HorizontalPodAutoscaler') return { ...r, groupVersion: 'autoscaling/v2beta2' };
    return r;
  });

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

export type Fault = { readonly status: number; readonly reason: string; readonly message?: string } | 'reset';

export interface FakeApiServerOptions {
  readonly objects: readonly Record<string, unknown>[];
  /** `namespace/pod/container` or `…/previous` → log text. */
  readonly logs?: ReadonlyMap<string, string>;
  readonly served?: readonly ServedResource[];
  /** Called before every request; a fault answers instead of the server. */
  readonly fault?: (request: RecordedRequest) => Fault | undefined;
}

interface WatchClient {
  readonly resource: ServedResource;
  readonly namespace: string | undefined;
  readonly query: URLSearchParams;
  readonly response: ServerResponse;
}

/**
 * A loopback API server speaking the Kubernetes wire format: discovery, paginated lists whose
 * items carry no kind/apiVersion, Status errors, /log and watch streams. It records every
 * request so tests can assert what the client sent.
 */
export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly #served: readonly ServedResource[];
  readonly #objects: Record<string, unknown>[];
  readonly #options: FakeApiServerOptions;
  readonly #watchers = new Set<WatchClient>();
  #server: Server | undefined;
  #resourceVersion = 1000;
  url = '';

  constructor(options: FakeApiServerOptions) {
    this.#options = options;
    this.#served = options.served ?? currentServer;
    this.#objects = options.objects.map((o) => structuredClone(o));
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const watcher of this.#watchers) watcher.response.end();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => { resolve(); }));
  }

  /** A kubeconfig file pointing at this server (plain HTTP on loopback). */
  kubeconfig(namespace?: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'kubetriage-fake-'));
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: fake',
      'clusters:', '- name: fake', '  cluster:', `    server: ${this.url}`, '    insecure-skip-tls-verify: true',
      'users:', '- name: tester', '  user:', '    token: fake-token',
      'contexts:', '- name: fake', '  context:', '    cluster: fake', '    user: tester', ...(namespace ? [`    namespace: ${namespace}`] : []),
      '',
    ].join('\n'));
    return file;
  }

  /** LIST requests (not discovery, not logs, not watches). */
  listCalls(): RecordedRequest[] {
    return this.requests.filter((r) => this.#route(r.path)?.type === 'list' && r.query.get('watch') !== 'true');
  }

  /** Replaces (or adds) an object and tells the watchers. */
  update(object: Record<string, unknown>): void {
    const meta = object.metadata as { namespace?: string; name?: string; resourceVersion?: string };
    meta.resourceVersion = String(++this.#resourceVersion);
    const index = this.#objects.findIndex((o) => o.kind === object.kind && sameName(o, object));
    const type = index >= 0 ? 'MODIFIED' : 'ADDED';
    if (index >= 0) this.#objects[index] = structuredClone(object);
    else this.#objects.push(structuredClone(object));
    for (const watcher of this.#watchers) {
      if (watcher.resource.kind !== object.kind) continue;
      if (watcher.namespace !== undefined && watcher.namespace !== meta.namespace) continue;
      const fieldSelector = watcher.query.get('fieldSelector');
      if (fieldSelector?.startsWith('metadata.name=') && fieldSelector.slice('metadata.name='.length) !== meta.name) continue;
      watcher.response.write(`${JSON.stringify({ type, object })}\n`);
    }
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const recorded = { method: request.method ?? '', path: url.pathname, query: url.searchParams };
    this.requests.push(recorded);
    const fault = this.#options.fault?.(recorded);
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault) {
      status(response, fault.status, fault.reason, fault.message ?? fault.reason);
      return;
    }
    if (request.method !== 'GET') {
      status(response, 405, 'MethodNotAllowed', `${request.method ?? ''} is not supported by this fake`);
      return;
    }
    if (url.pathname === '/api') { json(response, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] }); return; }
    if (url.pathname === '/apis') { json(response, this.#groupList()); return; }
    const route = this.#route(url.pathname);
    if (!route) { status(response, 404, 'NotFound', 'the server could not find the requested resource'); return; }
    if (route.type === 'discovery') {
      json(response, {
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion: route.groupVersion,
        resources: this.#served.filter((r) => r.groupVersion === route.groupVersion).map((r) => ({
          name: r.resource, singularName: '', namespaced: r.namespaced, kind: r.kind,
          verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        })),
      }); return;
    }
    if (route.type === 'log') {
      const key = `${route.namespace}/${route.name}/${url.searchParams.get('container') ?? ''}${url.searchParams.get('previous') === 'true' ? '/previous' : ''}`;
      const text = this.#options.logs?.get(key);
      if (text === undefined) { status(response, 400, 'BadRequest', `previous terminated container "${url.searchParams.get('container') ?? ''}" in pod "${route.name}" not found`); return; }
      const tail = Number(url.searchParams.get('tailLines') ?? '0');
      const lines = text.split('\n');
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end(tail > 0 ? lines.slice(-tail).join('\n') : text);
      return;
    }
    const matching = this.#objects.filter((o) => o.kind === route.resource.kind && (route.namespace === undefined || namespaceOf(o) === route.namespace));
    if (route.type === 'get') {
      const found = matching.find((o) => (o.metadata as { name?: string }).name === route.name);
      if (!found) { status(response, 404, 'NotFound', `${route.resource.resource} "${route.name}" not found`); return; }
      json(response, found); return;
    }
    const selected = matching.filter((o) => matchesSelectors(o, url.searchParams));
    if (url.searchParams.get('watch') === 'true') {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      response.flushHeaders();
      const watcher = { resource: route.resource, namespace: route.namespace, query: url.searchParams, response };
      this.#watchers.add(watcher);
      response.on('close', () => this.#watchers.delete(watcher));
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const offset = url.searchParams.get('continue') ? Number(Buffer.from(url.searchParams.get('continue') ?? '', 'base64').toString('utf8')) : 0;
    const page = limit > 0 ? selected.slice(offset, offset + limit) : selected.slice(offset);
    const next = limit > 0 && offset + limit < selected.length ? Buffer.from(String(offset + limit)).toString('base64') : undefined;
    json(response, {
      kind: `${route.resource.kind}List`,
      apiVersion: route.resource.groupVersion,
      metadata: { resourceVersion: String(this.#resourceVersion), ...(next ? { continue: next, remainingItemCount: selected.length - offset - limit } : {}) },
      // Items of a list carry no kind/apiVersion on the wire.
      items: page.map(withoutTypeMeta),
    });
  }

  #groupList(): unknown {
    const groups = new Map<string, string[]>();
    for (const r of this.#served) {
      if (r.groupVersion === 'v1') continue;
      const [group = '', version = ''] = r.groupVersion.split('/');
      const versions = groups.get(group) ?? [];
      if (!versions.includes(version)) versions.push(version);
      groups.set(group, versions);
    }
    return {
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0] ?? ''}`, version: versions[0] },
      })),
    };
  }

  #route(path: string):
    | { type: 'discovery'; groupVersion: string }
    | { type: 'list'; resource: ServedResource; namespace: string | undefined }
    | { type: 'get'; resource: ServedResource; namespace: string | undefined; name: string }
    | { type: 'log'; namespace: string; name: string }
    | undefined {
    const match = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/(.*))?$/.exec(path);
    if (!match) return undefined;
    const groupVersion = match[1] ?? match[2] ?? '';
    const rest = match[3]?.split('/').filter(Boolean) ?? [];
    if (rest.length === 0) return this.#served.some((r) => r.groupVersion === groupVersion) ? { type: 'discovery', groupVersion } : undefined;
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest.splice(0, 2);
    }
    const resource = this.#served.find((r) => r.groupVersion === groupVersion && r.resource === rest[0]);
    if (!resource) {
      if (namespace !== undefined && rest.length === 0) return undefined;
      return undefined;
    }
    if (rest.length === 1) return { type: 'list', resource, namespace };
    if (rest.length === 3 && rest[2] === 'log' && namespace !== undefined) return { type: 'log', namespace, name: rest[1] ?? '' };
    if (rest.length === 2) return { type: 'get', resource, namespace, name: rest[1] ?? '' };
    return undefined;
  }
}

function matchesSelectors(object: Record<string, unknown>, query: URLSearchParams): boolean {
  const meta = object.metadata as { name?: string; labels?: Record<string, string> };
  const fieldSelector = query.get('fieldSelector');
  if (fieldSelector?.startsWith('metadata.name=') && meta.name !== fieldSelector.slice('metadata.name='.length)) return false;
  const labelSelector = query.get('labelSelector');
  if (labelSelector) {
    for (const term of labelSelector.split(',')) {
      const [key = '', value] = term.split('=');
      if (meta.labels?.[key] !== value) return false;
    }
  }
  return true;
}

function withoutTypeMeta(object: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...object };
  delete copy.kind;
  delete copy.apiVersion;
  return copy;
}

function sameName(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ma = a.metadata as { namespace?: string; name?: string };
  const mb = b.metadata as { namespace?: string; name?: string };
  return ma.namespace === mb.namespace && ma.name === mb.name;
}

function namespaceOf(object: Record<string, unknown>): string | undefined {
  return (object.metadata as { namespace?: string } | undefined)?.namespace;
}

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function status(response: ServerResponse, code: number, reason: string, message: string): void {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}
