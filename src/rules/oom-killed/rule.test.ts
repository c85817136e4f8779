import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'pods running within their limits, one restarted by its liveness probe (exit 137, not OOM)', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'a vite dev server growing into its 1Gi limit',
      fixture: 'dev-server.json',
      findings: [{
        object: 'Deployment/shop/frontend',
        cause: 'dev-server',
        message: ['frontend was OOM-killed', '6 restarts', 'memory limit 1Gi, request 1Gi'],
        evidence: ['last termination: exit code 137 (OOMKilled)', 'runs a development server: npm run dev'],
        rootCause: ['dev-server-in-production'],
        commands: ['kubectl -n shop set resources deployment/frontend -c frontend --limits=memory=2Gi'],
      }],
    },
    {
      name: 'a worker killed a minute after each start',
      fixture: 'limit-too-low.json',
      findings: [{
        object: 'Deployment/shop/worker',
        cause: 'limit-too-low',
        message: ['memory limit 128Mi, request 128Mi'],
        evidence: ['after running 1m'],
        rootCause: ['killed 1m after starting'],
        commands: ['kubectl -n shop set resources deployment/worker -c worker --limits=memory=256Mi --requests=memory=256Mi'],
      }],
    },
    {
      name: 'an API that grows for days before each kill',
      fixture: 'gradual-growth.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'gradual-growth',
        evidence: ['current use 602Mi', 'after running 69h12m'],
        rootCause: ['ran 69h12m before reaching its 768Mi limit'],
      }],
    },
  ],
});
