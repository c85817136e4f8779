import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

const httpApi = {
  object: 'Deployment/shop/frontend',
  cause: 'http-url',
  message: ['VITE_API_URL of deployment/frontend is http://api.shop.example.com', 'https://shop.example.com', 'mixed content'],
  evidence: ['VITE_API_URL = http://api.shop.example.com (a literal value)', 'ingress/shop serves https://shop.example.com with TLS', 'api.shop.example.com is itself served with TLS by this cluster'],
  rootCause: ['mixed content', 'only the URL needs to change'],
  commands: ['kubectl -n shop set env deployment/frontend VITE_API_URL=https://api.shop.example.com'],
};

testRule(rule, fixtures, {
  valid: [
    { name: 'https for browser-facing URLs; http only to in-cluster Services and telemetry', fixture: 'healthy.json' },
    { name: 'the same as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    { name: 'a build-time API URL with http:// behind a TLS ingress', fixture: 'http-api-url.json', findings: [httpApi] },
    { name: 'the same manifests before deploy', fixture: 'http-api-url.json', source: 'manifests', findings: [httpApi] },
    {
      name: 'an object-storage endpoint without a scheme',
      fixture: 'scheme-less-storage-endpoint.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'scheme-less',
        message: ['OSS_ENDPOINT of deployment/api is oss-eu-central-1.aliyuncs.com'],
        rootCause: ['no scheme'],
        commands: ['kubectl -n shop set env deployment/api OSS_ENDPOINT=https://oss-eu-central-1.aliyuncs.com'],
      }],
    },
  ],
});
