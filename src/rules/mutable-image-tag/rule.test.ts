import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'a version tag and a digest-pinned image', fixture: 'healthy.json' },
    { name: 'the same set as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: ':latest with imagePullPolicy IfNotPresent',
      fixture: 'latest-if-not-present.json',
      source: 'manifests',
      findings: [{
        object: 'Deployment/shop/web',
        cause: 'stale-on-node',
        severity: 'warning',
        message: ['shopacr.azurecr.io/shop/web:latest', 'IfNotPresent'],
        commands: [
          'kubectl -n shop set image deployment/web web=shopacr.azurecr.io/shop/web:<version-or-commit-sha>',
          '"path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Always"',
        ],
      }],
    },
    {
      name: 'a :dev tag with the default pull policy (IfNotPresent)',
      fixture: 'dev-tag-default-policy.json',
      findings: [{ object: 'Deployment/shop/web', cause: 'stale-on-node', message: [':dev', 'the default for this tag'] }],
    },
    {
      name: 'an untagged image pulled Always: not reproducible, info only',
      fixture: 'untagged-always.json',
      findings: [{ object: 'Deployment/shop/web', cause: 'not-reproducible', severity: 'info', message: ['no tag'] }],
    },
  ],
});
