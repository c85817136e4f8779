import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'nginx serving a build, next start, uvicorn workers, a vite build step', fixture: 'healthy.json' },
    { name: 'the same production workloads as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a vite frontend started with npm run dev',
      fixture: 'vite-dev-server.json',
      findings: [{
        object: 'Deployment/shop/frontend',
        cause: 'frontend',
        severity: 'warning',
        message: ['frontend in deployment/frontend runs a development server (npm run dev)'],
        evidence: ['command: npm run dev -- --host 0.0.0.0', 'VITE v5.4.11  ready in 1873 ms', 'containerPort 5173', 'env NODE_ENV=development'],
        rootCause: ['serve the files with nginx'],
        commands: [
          'kubectl -n shop patch deployment/frontend --type=json -p \'[{"op":"remove","path":"/spec/template/spec/containers/0/command"},{"op":"remove","path":"/spec/template/spec/containers/0/args"}]\'',
          'kubectl -n shop set image deployment/frontend frontend=',
        ],
      }],
    },
    {
      name: 'a Flask debug server seen only in the log (the image sets the command)',
      fixture: 'flask-debug-banner.json',
      findings: [{
        object: 'Deployment/tools/admin',
        cause: 'python',
        evidence: ['This is a development server. Do not use it in a production deployment'],
        rootCause: ['gunicorn'],
      }],
    },
    {
      name: 'a manifest that starts next dev',
      fixture: 'manifest-next-dev.json',
      source: 'manifests',
      findings: [{
        object: 'Deployment/web/storefront',
        cause: 'ssr',
        message: ['next dev'],
        evidence: ['command: npx next dev -p 3000', 'containerPort 3000'],
        commands: ['"value":["npm","run","start"]'],
      }],
    },
  ],
});
