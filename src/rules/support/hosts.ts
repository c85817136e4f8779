import type { ClusterModel } from '../../model/cluster-model.js';
import type { Service } from '../../model/k8s.js';

export interface ParsedEndpoint {
  /** `https`, `postgresql`, … ; undefined for scheme-less values like `oss.example.com`. */
  readonly scheme?: string;
  readonly host: string;
  readonly port?: number;
}

const hostLabel = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

/** Whether a string is a DNS name or an IPv4 address (no scheme, no path). */
export function isHostName(value: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return true;
  const labels = value.replace(/\.$/, '').split('.');
  return labels.length > 0 && labels.every((label) => hostLabel.test(label));
}

/**
 * Reads `scheme://host[:port]/…` or a scheme-less `host[:port][/path]`. Returns undefined
 * for anything that is not an endpoint (free text, lists, paths).
 */
export function parseEndpoint(value: string): ParsedEndpoint | undefined {
  const text = value.trim();
  if (text === '' || /\s/.test(text)) return undefined;
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i.exec(text);
  if (withScheme) {
    const [, scheme = '', host = '', port] = withScheme;
    return { scheme: scheme.toLowerCase(), host: host.toLowerCase(), ...(port ? { port: Number(port) } : {}) };
  }
  const bare = /^([^:/?#]+)(?::(\d+))?(\/[^\s]*)?$/.exec(text);
  if (!bare) return undefined;
  const [, host = '', port] = bare;
  if (!host.includes('.') || !isHostName(host)) return undefined;
  return { host: host.toLowerCase(), ...(port ? { port: Number(port) } : {}) };
}

export interface ClusterHost {
  /** The Service name the host refers to. */
  readonly name: string;
  /** The namespace the host refers to (the caller's for a bare name). */
  readonly namespace: string;
  /** The Service, when the model has it. */
  readonly service?: Service;
}

/**
 * Reads a host as an in-cluster Service name seen from a namespace: `db`, `db.shop`,
 * `db.shop.svc`, `db.shop.svc.cluster.local` (any cluster domain). Returns undefined for
 * hosts that are not in-cluster names (public names, IPs, `localhost`). A two-label name
 * counts only when its second label is a namespace the model knows.
 */
export function clusterHost(model: ClusterModel, host: string, fromNamespace: string): ClusterHost | undefined {
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(lower) || !isHostName(lower)) return undefined;
  const labels = lower.split('.');
  const [name = '', second, third] = labels;
  let namespace: string | undefined;
  if (labels.length === 1) namespace = fromNamespace;
  else if (third === 'svc') namespace = second;
  else if (labels.length === 2 && second && model.namespaces().includes(second)) namespace = second;
  if (namespace === undefined) return undefined;
  const service = model.get('Service', namespace, name);
  return { name, namespace, ...(service ? { service } : {}) };
}
