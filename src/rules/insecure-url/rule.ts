import { defineRule } from '../../engine/define-rule.js';
import { objectKey } from '../../model/object-ref.js';
import { describeOrigin, environments } from '../support/env.js';
import { clusterHost, parseEndpoint } from '../support/hosts.js';
import { publicHosts, publicHostsOf } from '../support/ingress-hosts.js';

type Cause = 'http-url' | 'scheme-less';

/** Variables a browser ends up using: build-time public vars of frontend frameworks. */
const browserVar = /^(?:VITE_|NEXT_PUBLIC_|REACT_APP_|NUXT_PUBLIC_|PUBLIC_|GATSBY_|EXPO_PUBLIC_|VUE_APP_)/;
/** Endpoints whose URLs reach the browser: API bases, public URLs, object storage (presigned URLs). */
const endpointVar = /(?:_URL|_URI|_ENDPOINT|_BASE|_ORIGIN)$|^(?:PUBLIC_URL|BASE_URL|APP_URL|API_URL|SITE_URL|ORIGIN)$/;
/** Names that are server-to-server by nature: an http:// there never reaches a browser. */
const serverSideVar = /(?:DATABASE|DB|REDIS|QUEUE|AMQP|RABBIT|KAFKA|NATS|MONGO|POSTGRES|MYSQL|ELASTIC|OTEL|OTLP|JAEGER|ZIPKIN|PROMETHEUS|LOKI|SENTRY_DSN|WEBHOOK|INTERNAL|HEALTH|METRICS|VAULT)/;
/** URLs an app puts into pages, redirects and cookies. */
const publicUrlVar = /^(?:PUBLIC_URL|BASE_URL|APP_URL|SITE_URL|ORIGIN|FRONTEND_URL|NEXTAUTH_URL|BETTER_AUTH_URL|AUTH_URL)$|_PUBLIC_URL$/;
const objectStorageVar = /(?:S3|OSS|MINIO|STORAGE|BUCKET|BLOB|R2|SPACES|CDN|ASSET|UPLOAD|MEDIA)/;

export default defineRule({
  id: 'insecure-url',
  meta: {
    title: 'http:// or scheme-less endpoint behind a TLS ingress',
    description: 'An http:// or scheme-less endpoint (API base URL, public URL, object storage or presigned-URL endpoint) used by a workload served over HTTPS: browsers block it as mixed content, or the redirect to https breaks the request.',
    category: 'config',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    insecure: '{{envName}} of {{kubectlName}} is {{value}} while the app is served over https ({{servedAt}}): {{consequence}}',
  },
  runbook: {
    symptoms: 'The page loads over https but API calls, uploads or downloads fail; the browser console shows "Mixed Content: … was loaded over HTTPS, but requested an insecure resource", or a POST turns into a GET after a 301/308 redirect to https; presigned URLs point at http:// or at the page\'s own host.',
    rootCause: 'The workload is served over TLS, but an endpoint it hands to the browser (or signs URLs for) has no scheme or uses http://.',
    diagnosis: [
      { description: 'Show the value the workload gets', command: 'kubectl -n {{namespace}} set env {{kubectlName}} --list | grep {{envName}}' },
      { description: 'Check that the endpoint answers on https', command: 'curl -sI https://{{host}}/ | head -1' },
    ],
    fix: [
      { description: 'Use the https URL', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}={{secureValue}}', mutates: true },
    ],
    prevention: 'Build public URLs from one `https://` base value per environment; for Vite/Next/CRA variables remember they are baked in at build time, so rebuild the image after changing them; check rendered manifests with `kubetriage lint`.',
    causes: {
      'http-url': {
        title: 'http:// URL on an https page',
        rootCause: '{{envName}} ({{origin}}) is {{value}}; the page is served from {{servedAt}} over TLS, so the browser blocks the http:// request as mixed content (or it is redirected and loses its method and body).{{tlsNote}}',
        fix: [
          { description: 'Use https (for build-time frontend variables, rebuild and redeploy the image afterwards)', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}={{secureValue}}', mutates: true },
        ],
      },
      'scheme-less': {
        title: 'Endpoint without a scheme',
        rootCause: '{{envName}} ({{origin}}) is {{value}} with no scheme: SDKs default to http:// (or treat it as a relative path), so presigned and API URLs come out as http:// or relative to the page, and the browser blocks or misroutes them.',
        fix: [
          { description: 'Give the endpoint its https:// scheme', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}={{secureValue}}', mutates: true },
        ],
      },
    },
  },
  *detect(model) {
    const hosts = publicHosts(model);
    const tlsHosts = new Set(hosts.filter((h) => h.tls).map((h) => h.host));
    const publicHostNames = new Set(hosts.map((h) => h.host));
    const seen = new Set<string>();
    for (const env of environments(model)) {
      const served = publicHostsOf(model, env.owner, env.template.template.metadata?.labels).filter((h) => h.tls);
      const servedAt = served[0];
      if (!servedAt) continue;
      for (const variable of env.vars.values()) {
        const value = variable.value;
        if (value === undefined || value.startsWith('kubetriage:redacted:')) continue;
        const browser = browserVar.test(variable.name);
        if (!browser && (!endpointVar.test(variable.name) || serverSideVar.test(variable.name))) continue;
        const endpoint = parseEndpoint(value);
        if (!endpoint || endpoint.host === 'localhost' || endpoint.host.startsWith('127.')) continue;
        // In-cluster hosts are server-to-server traffic: plain http there is normal.
        if (clusterHost(model, endpoint.host, env.namespace) || /\.svc(\.|$)/.test(endpoint.host)) continue;
        let cause: Cause;
        const browserFacing = browser || publicUrlVar.test(variable.name) || objectStorageVar.test(variable.name) || publicHostNames.has(endpoint.host);
        // A server-to-server call over http to an outside host is not mixed content; leave it alone.
        if (endpoint.scheme === 'http' && browserFacing) cause = 'http-url';
        else if (endpoint.scheme === undefined && (browser || objectStorageVar.test(variable.name) || /_ENDPOINT$/.test(variable.name))) cause = 'scheme-less';
        else continue;
        const id = `${objectKey(env.owner)}/${variable.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const secureValue = cause === 'http-url' ? value.replace(/^http:\/\//i, 'https://') : `https://${value}`;
        const hasTls = tlsHosts.has(endpoint.host);
        yield {
          subject: env.owner,
          messageId: 'insecure',
          cause,
          key: variable.name,
          path: variable.path,
          data: {
            envName: variable.name,
            value,
            secureValue,
            host: endpoint.host,
            origin: describeOrigin(variable.origin),
            servedAt: servedAt.origin,
            consequence: cause === 'http-url' ? 'browsers block the calls as mixed content' : 'clients default to http:// or a relative URL',
            tlsNote: hasTls ? ` The cluster already serves https://${endpoint.host} (TLS on the Ingress), so only the URL needs to change.` : '',
          },
          evidence: [
            `${variable.name} = ${value} (${describeOrigin(variable.origin)})`,
            `ingress/${servedAt.ingress.metadata?.name ?? ''} serves ${servedAt.origin} with TLS`,
            ...(hasTls ? [`${endpoint.host} is itself served with TLS by this cluster`] : []),
          ],
        };
      }
    }
  },
});
