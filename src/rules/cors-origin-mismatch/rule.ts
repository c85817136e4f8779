import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject } from '../../model/k8s.js';
import { kubectlName, objectKey, refOf } from '../../model/object-ref.js';
import { describeOrigin, environments } from '../support/env.js';
import type { ContainerEnv } from '../support/env.js';
import { parseEndpoint } from '../support/hosts.js';
import { publicHosts, publicHostsOf, servicesOfTemplate } from '../support/ingress-hosts.js';
import type { PublicHost } from '../support/ingress-hosts.js';
import { allowListName, logEvidence } from '../support/login-flow.js';

/** What APIs and auth libraries log when they refuse a browser origin. */
const originRejected = /invalid origin|origin .*not allowed|not allowed by CORS|CORS (?:request )?(?:rejected|blocked)|disallowed origin|untrusted origin/i;


/** Services that serve a browser app, when no env var says which app calls the API. */
const frontendName = /front|web|ui|spa|portal|client|app|site/i;

/** The origins of an allow-list value: comma/space separated or a JSON array. */
export function parseOrigins(value: string): string[] {
  const text = value.trim();
  let items: unknown[] = [];
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) items = parsed;
    } catch {
      items = text.slice(1, -1).split(',');
    }
  } else {
    items = text.split(/[\s,;]+/);
  }
  return items.filter((i): i is string => typeof i === 'string').map((i) => i.trim().replace(/^["']|["']$/g, '').replace(/\/+$/, '').toLowerCase()).filter((i) => i !== '');
}

function allows(origins: readonly string[], origin: string): boolean {
  return origins.some((allowed) => {
    if (allowed === '*' || allowed === origin) return true;
    const wildcard = /^(https?:\/\/)\*\.(.+)$/.exec(allowed);
    return wildcard !== null && origin.startsWith(wildcard[1] ?? '') && origin.endsWith(`.${wildcard[2] ?? ''}`);
  });
}

/** Whether another workload's env points at the API (its public host or its Service name): `NAME=value`. */
function callsApi(env: ContainerEnv, apiHosts: ReadonlySet<string>, apiServices: ReadonlySet<string>): string | undefined {
  for (const variable of env.vars.values()) {
    const endpoint = variable.value === undefined ? undefined : parseEndpoint(variable.value);
    if (!endpoint) continue;
    const [first = '', second] = endpoint.host.split('.');
    const inCluster = apiServices.has(endpoint.host) || (apiServices.has(first) && second === env.namespace);
    if (apiHosts.has(endpoint.host) || inCluster) return `${variable.name}=${variable.value ?? ''}`;
  }
  return undefined;
}

interface FrontendHost {
  readonly host: PublicHost;
  readonly why: string;
}

/** The public hosts browsers call the API from: hosts of workloads that reference it, else hosts of frontend-looking Services. */
function frontendHostsFor(model: ClusterModel, api: ContainerEnv, envs: readonly ContainerEnv[]): FrontendHost[] {
  const namespace = api.namespace;
  const apiLabels = api.template.template.metadata?.labels;
  const apiServices = new Set(servicesOfTemplate(model, api.owner, apiLabels).map((s) => s.metadata?.name ?? ''));
  const apiHosts = new Set(publicHostsOf(model, api.owner, apiLabels).map((h) => h.host));
  const hosts = publicHosts(model, namespace).filter((h) => h.services.some((s) => !apiServices.has(s)));
  const found = new Map<string, FrontendHost>();
  for (const env of envs) {
    if (env.namespace !== namespace || env.owner === api.owner) continue;
    const reference = callsApi(env, apiHosts, apiServices);
    if (!reference) continue;
    for (const host of publicHostsOf(model, env.owner, env.template.template.metadata?.labels)) {
      if (apiHosts.has(host.host) && host.services.every((s) => apiServices.has(s))) continue;
      found.set(host.host, { host, why: `${kubectlName(refOf(env.owner))} calls the API (${reference}) and is served at ${host.origin}` });
    }
  }
  if (found.size > 0) return [...found.values()];
  return hosts
    .filter((h) => apiHosts.has(h.host) || h.services.some((s) => !apiServices.has(s) && frontendName.test(s)))
    .map((host) => ({ host, why: `ingress/${host.ingress.metadata?.name ?? ''} serves ${host.origin} (Service ${host.services.join(', ')})` }));
}

export default defineRule({
  id: 'cors-origin-mismatch',
  meta: {
    title: 'CORS allow-list misses the frontend\'s origin',
    description: 'A CORS allow-list (CORS_ORIGINS, ALLOWED_ORIGINS, CORS_ALLOWED_ORIGINS, trusted origins …) does not include the public origin the frontend is served from (its Ingress host), so browser calls and logins from the frontend are refused.',
    category: 'config',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    missing: '{{envName}} of {{kubectlName}} does not allow {{missing}}, where the frontend is served: the browser refuses the API\'s answers, so login and every API call from there fail',
  },
  runbook: {
    symptoms: 'The frontend loads but login and API calls fail; the browser console shows "blocked by CORS policy: No \'Access-Control-Allow-Origin\' header" or the auth library answers 403 "Invalid origin"; it works locally or on staging.',
    rootCause: 'The API answers only to the origins in its allow-list; the origin the frontend is actually served from (scheme and host of its Ingress) is not in it — often the list still names staging or localhost.',
    diagnosis: [
      { description: 'Show the allow-list the API gets', command: 'kubectl -n {{namespace}} set env {{kubectlName}} --list | grep {{envName}}' },
      { description: 'Show the hosts the Ingress serves', command: 'kubectl -n {{namespace}} get ingress -o custom-columns=NAME:.metadata.name,HOSTS:.spec.rules[*].host,TLS:.spec.tls[*].hosts' },
      { description: 'Ask the API the way the browser does', command: 'curl -si -X OPTIONS -H \'Origin: {{missingFirst}}\' -H \'Access-Control-Request-Method: POST\' {{apiOrigin}}/ | grep -i access-control' },
    ],
    fix: [
      { description: 'Add the frontend\'s origin to the allow-list', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}={{proposed}}', mutates: true },
    ],
    prevention: 'Derive the allow-list from the same value as the Ingress host (one Helm value or kustomize replacement for both), keep one list per environment, and include the exact scheme (https) and no trailing slash.',
    causes: {
      'origin-missing': {
        title: 'Frontend origin not in the allow-list',
        rootCause: '{{envName}} ({{origin}}) lists {{allowed}}; the frontend is served from {{missing}}, which is not in the list, so the API refuses its requests.',
        fix: [
          { description: 'Add the frontend\'s origin (keep the others you still need)', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}={{proposed}}', mutates: true },
        ],
      },
      'scheme-mismatch': {
        title: 'Allow-list has the host with the wrong scheme',
        rootCause: '{{envName}} lists the frontend host but not with the scheme browsers use ({{missing}}); an origin is scheme + host + port, so http:// does not match https://.',
        fix: [
          { description: 'Use the https origin', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}={{proposed}}', mutates: true },
        ],
      },
    },
  },
  *detect(model) {
    const envs = environments(model);
    const seen = new Set<string>();
    for (const api of envs) {
      for (const variable of api.vars.values()) {
        if (!allowListName.test(variable.name) || variable.value === undefined || variable.value.startsWith('kubetriage:redacted:')) continue;
        const id = `${objectKey(api.owner)}/${variable.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const origins = parseOrigins(variable.value);
        if (origins.length === 0 || origins.includes('*') || origins.some((o) => o.startsWith('/') || o.startsWith('^'))) continue;
        const frontends = frontendHostsFor(model, api, envs);
        const missing = frontends.filter((f) => !allows(origins, f.host.origin));
        if (missing.length === 0) continue;
        const schemeOnly = missing.every((f) => origins.some((o) => parseEndpoint(o)?.host === f.host.host));
        const missingOrigins = [...new Set(missing.map((f) => f.host.origin))];
        const proposed = [...missingOrigins, ...origins.filter((o) => !missingOrigins.some((m) => parseEndpoint(o)?.host === parseEndpoint(m)?.host))].join(',');
        const apiHost = publicHostsOf(model, api.owner, api.template.template.metadata?.labels)[0];
        const subject: KubeObject = api.owner;
        yield {
          subject,
          messageId: 'missing',
          cause: schemeOnly ? 'scheme-mismatch' : 'origin-missing',
          key: variable.name,
          path: variable.path,
          data: {
            envName: variable.name,
            origin: describeOrigin(variable.origin),
            allowed: origins.join(', '),
            missing: missingOrigins.join(', '),
            missingFirst: missingOrigins[0] ?? '',
            proposed,
            apiOrigin: apiHost?.origin ?? `http://${api.owner.metadata?.name ?? ''}.${api.namespace}.svc`,
          },
          evidence: [
            `${variable.name} = ${variable.value} (${describeOrigin(variable.origin)})`,
            ...missing.map((f) => f.why),
            ...missing.map((f) => `${f.host.origin} is not in ${variable.name}`),
            ...logEvidence(model, api.owner, originRejected),
          ],
        };
      }
    }
  },
});
