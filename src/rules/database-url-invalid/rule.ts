import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import { objectKey } from '../../model/object-ref.js';
import { describeOrigin, environments } from '../support/env.js';
import { clusterHost, isHostName } from '../support/hosts.js';


const databaseVar = /^(?:DATABASE_URL|DB_URL|DATABASE_URI|DB_URI|DSN|SQLALCHEMY_DATABASE_URI|MONGO(?:DB)?_(?:URL|URI)|POSTGRES(?:QL)?_URL|MYSQL_URL|[A-Z0-9_]+_DATABASE_URL|[A-Z0-9_]+_DSN)$/;
/** Schemes whose URL names a file, not a host. */
const fileSchemes = /^(?:sqlite3?|file)(?:\+[a-z0-9]+)?:/i;

export interface DatabaseTarget {
  readonly host: string;
  readonly port?: number;
}

/** Parses `scheme://user:pass@host:port/db?…`, libpq `host=… port=…` and Go's `user:pass@tcp(host:port)/db`. */
export function parseDatabaseUrl(value: string): { target: DatabaseTarget } | { problem: string } {
  const text = value.trim();
  if (/^(?:[a-z_]+=\S*\s*)+$/i.test(text)) {
    const host = /(?:^|\s)host=([^\s]+)/.exec(text)?.[1];
    const port = /(?:^|\s)port=([^\s]+)/.exec(text)?.[1];
    if (!host) return { problem: 'the key=value DSN has no host=' };
    if (port !== undefined && !/^\d+$/.test(port)) return { problem: `port=${port} is not a number` };
    return { target: { host, ...(port ? { port: Number(port) } : {}) } };
  }
  const goDsn = /^[^@\s]*@tcp\(([^):]+)(?::(\d+))?\)\//.exec(text);
  if (goDsn) return { target: { host: goDsn[1] ?? '', ...(goDsn[2] ? { port: Number(goDsn[2]) } : {}) } };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!scheme) return { problem: 'no scheme:// (expected scheme://user:password@host:port/database)' };
  if (/\s/.test(text)) return { problem: 'it contains whitespace' };
  const rest = text.slice(scheme[0].length);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  if ((authority.match(/@/g) ?? []).length > 1) return { problem: 'more than one @ before the host: a password with an unescaped @ (percent-encode it as %40)' };
  const hostPart = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  // Several hosts (MongoDB replica sets, multi-host Postgres): check the first.
  const firstHost = hostPart.split(',')[0] ?? '';
  const match = /^(\[[^\]]+\]|[^:]*)(?::(.*))?$/.exec(firstHost);
  const host = match?.[1] ?? '';
  const port = match?.[2];
  if (host === '') return { problem: 'the host is empty' };
  if (!host.startsWith('[') && !isHostName(host)) return { problem: `"${host}" is not a valid host name (an unescaped character in the password, or a template left in)` };
  if (port !== undefined && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)) return { problem: `port "${port}" is not a number between 1 and 65535` };
  return { target: { host, ...(port ? { port: Number(port) } : {}) } };
}

function nearestServices(model: ClusterModel, namespace: string, name: string): string {
  const names = model.list('Service', namespace).map((s) => s.metadata?.name ?? '');
  const close = names.filter((n) => n.includes(name) || name.includes(n) || n.split('-')[0] === name.split('-')[0]);
  const shown = (close.length > 0 ? close : names).slice(0, 5);
  return shown.length > 0 ? shown.join(', ') : 'none';
}

export default defineRule({
  id: 'database-url-invalid',
  meta: {
    title: 'Database URL invalid or pointing at a missing host',
    description: 'A DATABASE_URL-style value (DATABASE_URL, *_DSN, MONGODB_URI …) that does not parse as scheme://user:pass@host:port/db, or whose host is an in-cluster Service name that does not exist.',
    category: 'config',
    severity: 'critical',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    invalid: '{{envName}} of {{kubectlName}} {{problem}}',
  },
  runbook: {
    symptoms: 'The application crashes at start with a connection or URL parse error (`could not translate host name`, `getaddrinfo ENOTFOUND`, `invalid port`, `Invalid URL`), or waits on a database that never answers.',
    rootCause: 'The database URL the workload gets is malformed or names a host that does not exist in the cluster.',
    diagnosis: [
      { description: 'Show where the value comes from', command: 'kubectl -n {{namespace}} get {{kubectlName}} -o jsonpath=\'{.spec.template.spec.containers[*].env[?(@.name=="{{envName}}")]}\'' },
      { description: 'List the Services the host could mean', command: 'kubectl -n {{targetNamespace}} get services' },
    ],
    fix: [
      { description: 'Set a valid URL', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}=\'<scheme>://<user>:<password>@<host>:<port>/<database>\'', mutates: true },
    ],
    prevention: 'Build the URL from parts in one place (a Secret written by the database operator or chart), percent-encode passwords, and use the Service\'s full name `name.namespace.svc` when the database lives in another namespace.',
    causes: {
      unparseable: {
        title: 'URL does not parse',
        rootCause: '{{envName}} ({{origin}}) is not a valid database URL: {{reason}}. Drivers reject it before connecting.',
        fix: [
          { description: 'Fix the URL; percent-encode special characters in the password (@ → %40, : → %3A, / → %2F)', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}=\'<scheme>://<user>:<password>@<host>:<port>/<database>\'', mutates: true },
        ],
      },
      'host-not-found': {
        title: 'In-cluster host does not exist',
        rootCause: '{{envName}} ({{origin}}) points at {{host}}, read as Service {{service}} in namespace {{targetNamespace}}, which has no such Service (it has: {{nearest}}). DNS lookups fail and the driver cannot connect.',
        fix: [
          { description: 'See the Services that exist', command: 'kubectl -n {{targetNamespace}} get services' },
          { description: 'Point the URL at the right Service (name.namespace.svc for another namespace)', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}=\'<scheme>://<user>:<password>@<service>.<namespace>.svc:<port>/<database>\'', mutates: true },
        ],
      },
      'namespace-not-found': {
        title: 'Namespace of the host does not exist',
        rootCause: '{{envName}} ({{origin}}) points at {{host}}, a Service in namespace {{targetNamespace}}, which does not exist in this cluster.',
        fix: [
          { description: 'Find where the database runs', command: 'kubectl get services -A | grep -i {{service}}' },
        ],
      },
    },
  },
  *detect(model) {
    const knownNamespaces = model.list('Namespace').length > 0 ? new Set(model.namespaces()) : undefined;
    const seen = new Set<string>();
    for (const env of environments(model)) {
      for (const variable of env.vars.values()) {
        const value = variable.value;
        if (!databaseVar.test(variable.name) || value === undefined || value === '' || value.startsWith('kubetriage:redacted:') || fileSchemes.test(value)) continue;
        // A placeholder is unresolved-placeholder's finding, not a parse error.
        if (/\$\{|\{\{|<[A-Z_]+>/.test(value)) continue;
        const id = `${objectKey(env.owner)}/${variable.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const parsed = parseDatabaseUrl(value);
        const common = { envName: variable.name, origin: describeOrigin(variable.origin), value };
        const evidence = [`${variable.name} = ${value} (${describeOrigin(variable.origin)}, container ${env.container})`];
        if ('problem' in parsed) {
          yield {
            subject: env.owner, messageId: 'invalid', cause: 'unparseable', key: variable.name, path: variable.path,
            data: { ...common, problem: `does not parse: ${parsed.problem}`, reason: parsed.problem, host: '', service: '', targetNamespace: env.namespace, nearest: '' },
            evidence: [...evidence, `parse error: ${parsed.problem}`],
          };
          continue;
        }
        const target = clusterHost(model, parsed.target.host, env.namespace);
        if (!target || target.service) continue;
        // Manifests may not hold every Service of the cluster: name the doubt, do not raise the alarm.
        const severity = model.source === 'manifests' ? 'warning' as const : undefined;
        const namespaceMissing = knownNamespaces !== undefined && !knownNamespaces.has(target.namespace);
        yield {
          subject: env.owner,
          messageId: 'invalid',
          cause: namespaceMissing ? 'namespace-not-found' : 'host-not-found',
          key: variable.name,
          path: variable.path,
          ...(severity ? { severity } : {}),
          data: {
            ...common,
            problem: namespaceMissing
              ? `points at ${parsed.target.host}, in namespace ${target.namespace}, which does not exist`
              : `points at ${parsed.target.host}, but namespace ${target.namespace} has no Service ${target.name}`,
            reason: '',
            host: parsed.target.host,
            service: target.name,
            targetNamespace: target.namespace,
            nearest: nearestServices(model, target.namespace, target.name),
          },
          evidence: [
            ...evidence,
            namespaceMissing ? `namespace ${target.namespace} does not exist` : `no Service ${target.name} in namespace ${target.namespace} (Services there: ${nearestServices(model, target.namespace, target.name)})`,
            ...(model.source === 'manifests' ? ['checked against the Services in these manifests only'] : []),
          ],
        };
      }
    }
  },
});
