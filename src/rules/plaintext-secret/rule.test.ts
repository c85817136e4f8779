import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'a Secret referenced but created outside the repository, and a service-account token', fixture: 'healthy.json', source: 'manifests' },
    { name: 'a Secret in cluster state (where Secrets belong)', fixture: 'committed-secret.json' },
  ],
  invalid: [
    {
      name: 'a Secret committed with its data',
      fixture: 'committed-secret.json',
      source: 'manifests',
      findings: [{
        object: 'Secret/shop/web-db',
        message: ['username, password', 'base64 is not encryption'],
        evidence: ['data keys: username, password (values not shown)'],
        commands: ['kubectl -n shop create secret generic web-db'],
      }],
    },
  ],
});
