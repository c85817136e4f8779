import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../../errors.js';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A non-2xx answer of the API server, or a transport failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }

  /** Worth retrying: timeouts, resets, throttling and server errors. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /** "403 Forbidden: pods is forbidden: User …" — short, for notes. */
  describe(): string {
    const head = this.status === 0 ? this.reason : `${this.status} ${this.reason}`;
    const detail = this.message.length > 200 ? `${this.message.slice(0, 200)}…` : this.message;
    return detail && detail !== head ? `${head}: ${detail}` : head;
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; doubles each time. */
  readonly baseDelayMs: number;
}

export interface ApiClientOptions {
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly requestTimeoutMs?: number;
  readonly retry?: RetryPolicy;
}

/**
 * The only way kubetriage talks to a cluster: GET requests, nothing else, by construction
 * (there is no method parameter). Authentication comes from the kubeconfig through
 * @kubernetes/client-node, which knows every credential kind kubectl knows.
 */
export class ApiClient {
  readonly server: string;
  readonly contextName: string;
  /** The namespace the kubeconfig context names, if any (kubectl's default for -n). */
  readonly contextNamespace: string | undefined;
  readonly #config: KubeConfig;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  #requestOptions: Promise<https.RequestOptions> | undefined;

  constructor(config: KubeConfig, options: { requestTimeoutMs?: number | undefined; retry?: RetryPolicy | undefined } = {}) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new ClusterError(`the kubeconfig context "${config.getCurrentContext()}" names no cluster`);
    this.#config = config;
    this.server = cluster.server.replace(/\/+$/, '');
    this.contextName = config.getCurrentContext();
    this.contextNamespace = config.getContextObject(this.contextName)?.namespace ?? undefined;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#retry = options.retry ?? { attempts: 4, baseDelayMs: 250 };
  }

  /** GET a JSON document, retrying transient failures with exponential backoff. */
  async getJson(path: string, query: Query = {}): Promise<unknown> {
    const text = await this.#withRetry(() => this.#get(path, query, 'application/json'));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(0, 'Invalid response', `GET ${path} answered with something that is not JSON`);
    }
  }

  /** GET plain text (container logs). */
  async getText(path: string, query: Query = {}, retry?: RetryPolicy): Promise<string> {
    return this.#withRetry(() => this.#get(path, query, 'text/plain, */*'), retry);
  }

  /**
   * Opens a watch (GET with watch=true) and calls onEvent for every event line until the
   * server closes the stream or the signal aborts. Resolves when the stream ends.
   */
  async watch(path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    const response = await this.#open(path, { ...query, watch: true }, 'application/json', signal, 0);
    if ((response.statusCode ?? 0) >= 300) throw await errorOf(response, path);
    let buffered = '';
    response.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        response.destroy();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      response.on('data', (chunk: string) => {
        buffered += chunk;
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) onEvent(JSON.parse(line) as WatchEvent);
        }
      });
      response.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      response.on('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) resolve();
        else reject(new ApiError(0, 'Connection reset', `watch ${path}: ${error.message}`));
      });
    });
  }

  async #withRetry(request: () => Promise<string>, retry: RetryPolicy = this.#retry): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        if (!(error instanceof ApiError) || !error.transient || attempt >= retry.attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, retry.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  async #get(path: string, query: Query, accept: string): Promise<string> {
    const response = await this.#open(path, query, accept, undefined, this.#timeoutMs);
    const body = await readBody(response, path);
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return body;
    throw apiErrorFrom(status, body, path);
  }

  async #open(path: string, query: Query, accept: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<http.IncomingMessage> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const base = await this.#baseOptions();
    const transport = url.protocol === 'http:' ? http : https;
    const { headers: baseHeaders, ...connection } = base;
    const headers: http.OutgoingHttpHeaders = { Accept: accept, 'User-Agent': 'kubetriage' };
    if (baseHeaders && !Array.isArray(baseHeaders)) Object.assign(headers, baseHeaders);
    return new Promise((resolve, reject) => {
      const request = transport.request(url, {
        ...connection,
        method: 'GET',
        headers,
        ...(signal ? { signal } : {}),
      });
      if (timeoutMs > 0) {
        request.setTimeout(timeoutMs, () => request.destroy(new ApiError(0, 'Timeout', `GET ${path}: no answer within ${timeoutMs / 1000}s`)));
      }
      request.on('response', resolve);
      request.on('error', (error) => {
        reject(error instanceof ApiError ? error : new ApiError(0, 'Connection failed', `GET ${path}: ${error.message}`));
      });
      request.end();
    });
  }

  #baseOptions(): Promise<https.RequestOptions> {
    this.#requestOptions ??= (async () => {
      const options: https.RequestOptions = {};
      await this.#config.applyToHTTPSOptions(options);
      return options;
    })();
    return this.#requestOptions;
  }
}

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

/**
 * kubectl's order: --kubeconfig, then KUBECONFIG (a path list, merged), then
 * ~/.kube/config, then the pod's service account when running inside a cluster.
 */
export function loadKubeConfig(options: ApiClientOptions): KubeConfig {
  const config = new KubeConfig();
  try {
    const files = options.kubeconfig
      ? [options.kubeconfig]
      : (options.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
    const home = options.env.HOME ?? homedir();
    const defaultFile = join(home, '.kube', 'config');
    if (files.length > 0) {
      for (const [index, file] of files.entries()) {
        if (!existsSync(file)) {
          if (options.kubeconfig) throw new ClusterError(`--kubeconfig ${file}: no such file`);
          continue;
        }
        if (index === 0 || config.contexts.length === 0) {
          config.loadFromFile(file);
        } else {
          const more = new KubeConfig();
          more.loadFromFile(file);
          config.mergeConfig(more, true);
        }
      }
    } else if (existsSync(defaultFile)) {
      config.loadFromFile(defaultFile);
    } else if (options.env.KUBERNETES_SERVICE_HOST) {
      config.loadFromCluster();
    }
  } catch (error) {
    if (error instanceof ClusterError) throw error;
    throw new ClusterError(`cannot read the kubeconfig: ${(error as Error).message}`);
  }
  if (config.contexts.length === 0) {
    throw new ClusterError('no cluster configured: set KUBECONFIG or --kubeconfig, or run inside a cluster (or scan a dump with --snapshot, or try --demo)');
  }
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      throw new ClusterError(`--context ${options.context}: no such context in the kubeconfig (have: ${config.contexts.map((c) => c.name).join(', ')})`);
    }
    config.setCurrentContext(options.context);
  }
  return config;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  return new ApiClient(loadKubeConfig(options), { requestTimeoutMs: options.requestTimeoutMs, retry: options.retry });
}

async function readBody(response: http.IncomingMessage, path: string): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new ApiError(0, 'Connection reset', `GET ${path}: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function errorOf(response: http.IncomingMessage, path: string): Promise<ApiError> {
  return apiErrorFrom(response.statusCode ?? 0, await readBody(response, path), path);
}

/** Reads the Status object the API server sends with an error, when there is one. */
function apiErrorFrom(status: number, body: string, path: string): ApiError {
  let reason = http.STATUS_CODES[status] ?? 'Error';
  let message = `GET ${path}`;
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; reason?: unknown; message?: unknown };
    if (parsed.kind === 'Status') {
      if (typeof parsed.reason === 'string' && parsed.reason) reason = parsed.reason;
      if (typeof parsed.message === 'string' && parsed.message) message = parsed.message;
    }
  } catch {
    if (body.trim()) message = body.trim().slice(0, 200);
  }
  return new ApiError(status, reason, message);
}
