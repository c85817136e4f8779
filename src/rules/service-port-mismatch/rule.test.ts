import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'named and numeric targetPorts the containers declare, and containers that declare none', fixture: 'healthy.json' },
    { name: 'the same as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'targetPort 80 in front of a dev server on 5173',
      fixture: 'number-not-exposed.json',
      findings: [{
        object: 'Service/shop/frontend',
        cause: 'number-not-exposed',
        message: ['port 80/TCP (http) targets 80, which no selected container declares (5173/TCP (http))'],
        evidence: ['deployment/frontend: container frontend declares 5173/TCP (http)', 'endpoints send traffic to port 80/TCP on 2 ready pod(s)'],
        commands: [`kubectl -n shop patch service frontend --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":5173}]'`],
      }],
    },
    {
      name: 'manifests: targetPort 80 in front of a dev server on 5173',
      fixture: 'number-not-exposed.json',
      source: 'manifests',
      findings: [{ object: 'Service/shop/frontend', cause: 'number-not-exposed', evidence: ['deployment/frontend: container frontend declares 5173/TCP (http)'] }],
    },
    {
      name: 'a named targetPort the containers call differently',
      fixture: 'named-port-missing.json',
      findings: [{
        object: 'Service/shop/api',
        cause: 'named-port-missing',
        message: ['targets "http", which no selected container declares (8000/TCP (web), 9090/TCP (metrics))'],
        commands: ['kubectl -n shop exec deployment/api -- netstat -tlnp'],
      }],
    },
  ],
});
