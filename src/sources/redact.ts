import { createHmac, randomBytes } from 'node:crypto';
import type { KubeObject } from '../model/k8s.js';
import { formatRedacted, isRedacted } from '../model/redacted.js';

/**
 * Replaces secret values by keyed fingerprints before anything else sees them. The key is
 * random per run (or per snapshot bundle), so equal values compare equal within a run and
 * nothing outside it can test a guess against a fingerprint.
 */
export class Redactor {
  readonly #key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.#key = key;
  }

  /** The marker for a value: its fingerprint and length, never the value. */
  marker(value: string): string {
    if (isRedacted(value)) return value;
    const fingerprint = createHmac('sha256', this.#key).update(value, 'utf8').digest('hex').slice(0, 16);
    return formatRedacted({ fingerprint, length: value.length });
  }

  /** Redacts one object in place (sources own the objects they create) and returns it. */
  redactObject(object: KubeObject): KubeObject {
    const mutable = object as Record<string, unknown>;
    const metadata = mutable.metadata as Record<string, unknown> | undefined;
    const annotations = metadata?.annotations as Record<string, string> | undefined;
    if (annotations) {
      // kubectl apply keeps the whole last-applied object here, secret values included.
      delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    }
    if (object.kind === 'Secret') {
      const data = mutable.data as Record<string, unknown> | undefined;
      if (isRecord(data)) {
        for (const [key, value] of Object.entries(data)) {
          if (typeof value === 'string' && isRedacted(value)) continue; // already redacted (a kubetriage bundle)
          data[key] = typeof value === 'string' ? this.marker(decodeBase64(value)) : this.marker('');
        }
      }
      const stringData = mutable.stringData as Record<string, unknown> | undefined;
      if (isRecord(stringData)) {
        for (const [key, value] of Object.entries(stringData)) {
          stringData[key] = this.marker(typeof value === 'string' ? value : String(value));
        }
      }
    } else if (object.kind === 'ConfigMap') {
      const data = mutable.data as Record<string, unknown> | undefined;
      if (isRecord(data)) {
        for (const [key, value] of Object.entries(data)) {
          if (typeof value !== 'string') continue;
          data[key] = isSensitiveName(key) ? this.marker(value) : redactText(value);
        }
      }
    }
    const kind = object.kind ?? '';
    if (kind === 'Event') {
      // Events quote what failed, sometimes with the credentials in it (a registry URL with a password).
      for (const field of ['message', 'note']) {
        const text = mutable[field];
        if (typeof text === 'string') mutable[field] = redactTokens(text);
      }
      return object;
    }
    const specs = podSpecPaths[kind];
    if (specs) {
      for (const path of specs) this.#redactContainers(dig(mutable, path));
    } else if (!withoutPodSpec.has(kind)) {
      // Unknown kinds (Argo Rollouts, Knative, operators' CRDs) may embed pod templates anywhere.
      this.#redactEnv(mutable);
    }
    return object;
  }

  /** Env values of the containers of one pod spec: the fast path for the kinds that have one. */
  #redactContainers(spec: unknown): void {
    if (!isRecord(spec)) return;
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      for (const container of containers as unknown[]) {
        if (isRecord(container)) this.#redactEnvList(container.env);
      }
    }
  }

  #redactEnvList(env: unknown): void {
    if (!Array.isArray(env)) return;
    for (const variable of env as unknown[]) {
      if (!isRecord(variable)) continue;
      const { name, value } = variable;
      if (typeof value !== 'string' || value === '') continue;
      variable.value = typeof name === 'string' && isSensitiveName(name) ? this.marker(value) : redactText(value);
    }
  }

  /** Env values of every container in every pod spec or template, wherever they sit. */
  #redactEnv(node: unknown, depth = 0): void {
    if (depth > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) this.#redactEnv(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const env = record.env;
    if (Array.isArray(env) && (typeof record.image === 'string' || typeof record.name === 'string')) this.#redactEnvList(env);
    for (const [key, child] of Object.entries(record)) {
      if (key === 'env' || key === 'status' || key === 'metadata') continue;
      if (child !== null && typeof child === 'object') this.#redactEnv(child, depth + 1);
    }
  }
}

/** Where the kinds with pods keep their pod spec. */
const podSpecPaths: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Pod: [['spec']],
  Deployment: [['spec', 'template', 'spec']],
  ReplicaSet: [['spec', 'template', 'spec']],
  StatefulSet: [['spec', 'template', 'spec']],
  DaemonSet: [['spec', 'template', 'spec']],
  Job: [['spec', 'template', 'spec']],
  ReplicationController: [['spec', 'template', 'spec']],
  PodTemplate: [['template', 'spec']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'template', 'spec']],
};

/** Kinds that hold no containers: nothing to walk (Secret and ConfigMap are handled above). */
const withoutPodSpec = new Set([
  'Event', 'Node', 'Namespace', 'Service', 'Endpoints', 'EndpointSlice', 'ServiceAccount', 'Secret', 'ConfigMap',
  'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'Ingress', 'IngressClass', 'NetworkPolicy', 'Lease',
  'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'PodDisruptionBudget', 'HorizontalPodAutoscaler',
  'LimitRange', 'ResourceQuota', 'PriorityClass', 'CustomResourceDefinition', 'APIService', 'CSIDriver', 'CSINode',
  'VolumeAttachment',
]);

function dig(record: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = record;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

const sensitiveName = /(secret|passw(or)?d|passwd|pwd|token|api[_-]?key|private[_-]?key|credential|access[_-]?key|auth[_-]?key|client[_-]?secret|signing[_-]?key|encryption[_-]?key|\bkey$)/i;
const notSecretSuffix = /(_URL|_URI|_HOST|_PORT|_NAME|_PATH|_FILE|_ENDPOINT|_ID|_ISSUER|_AUDIENCE|_HEADER|_TTL|_EXPIRY|_EXPIRES_IN|_ALGORITHM|_REF)$/i;

/** Whether an env var or data key names something secret (JWT_SECRET, DB_PASSWORD, API_KEY …). */
export function isSensitiveName(name: string): boolean {
  return sensitiveName.test(name) && !notSecretSuffix.test(name);
}

const keywordAssignment = /(\b(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|client[_-]?secret)["']?\s*[:=]\s*["']?)([^\s"',;&]{3,})/gi;

const credentialPatterns: readonly [RegExp, string][] = [
  // scheme://user:password@host — keep the user and host, drop the password
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi, '$1****$3'],
  [/(\bBearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/g, '$1****'],
  [keywordAssignment, '$1****'],
  [/\b(sk-[A-Za-z0-9_-]{16,})/g, 'sk-****'],
  [/\b(AKIA[0-9A-Z]{16})\b/g, 'AKIA****'],
  [/\b(gh[pousr]_[A-Za-z0-9]{20,})\b/g, 'gh*_****'],
  [/\b(xox[abpr]-[A-Za-z0-9-]{10,})\b/g, 'xox*-****'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '<jwt ****>'],
];

/**
 * What every credential pattern above needs somewhere in the text (a `:` or `=` for URLs
 * with a password and keyword assignments, else a token's fixed prefix): most values
 * (`info`, `production`, a host name) have none, and skip the eight patterns.
 */
const mayHoldCredential = /[:=]|Bearer|sk-|AKIA|gh[pousr]_|xox[abpr]-|eyJ/;

/**
 * Credentials with an unmistakable shape only (passwords in URLs, bearer tokens, known key
 * formats), not `key: value` guesses: for event messages, where "token: unexpected status"
 * is the evidence, not a secret.
 */
export function redactTokens(text: string): string {
  if (!mayHoldCredential.test(text)) return text;
  let result = text;
  for (const [pattern, replacement] of credentialPatterns) {
    if (pattern !== keywordAssignment) result = result.replace(pattern, replacement);
  }
  return result;
}

/** Removes known credential shapes from free text: log lines, env values, config values. */
export function redactText(text: string): string {
  if (!mayHoldCredential.test(text)) return text;
  let result = text;
  for (const [pattern, replacement] of credentialPatterns) result = result.replace(pattern, replacement);
  return result;
}

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
