import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'default deny plus an allow from the ingress controller on the named port', fixture: 'healthy.json' },
    { name: 'the same set as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a default deny with no allow policy',
      fixture: 'default-deny-without-allow.json',
      source: 'manifests',
      findings: [{ object: 'NetworkPolicy/shop/default-deny-ingress', cause: 'deny-all', message: ['Service web', 'no policy rule lets any traffic in'], commands: ['name: allow-web'] }],
    },
    {
      name: 'an allow policy for the same namespace only, behind an Ingress',
      fixture: 'ingress-controller-blocked.json',
      findings: [{ object: 'NetworkPolicy/shop/allow-same-namespace', cause: 'ingress-controller-blocked', evidence: ['from: podSelector only'] }],
    },
    {
      name: 'an allow policy on the Service port instead of the container port',
      fixture: 'port-not-allowed.json',
      findings: [{ object: 'NetworkPolicy/shop/allow-ingress-controller', cause: 'port-not-allowed', message: ['only port(s) 80, not http (8080)'] }],
    },
  ],
});
