import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'version label on the pod template only, selectors by name and instance', fixture: 'healthy.json' },
    { name: 'the same set as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a Service selecting app.kubernetes.io/version',
      fixture: 'service-selects-version.json',
      findings: [{
        object: 'Service/shop/web',
        cause: 'service-selector',
        message: ['app.kubernetes.io/version=1.8.1', 'loses every endpoint'],
        evidence: ['app.kubernetes.io/name=web, app.kubernetes.io/version=1.8.1'],
        commands: ['kubectl -n shop patch service web --type=json -p \'[{"op":"remove","path":"/spec/selector/app.kubernetes.io~1version"}]\''],
      }],
    },
    {
      name: 'a Deployment whose immutable selector holds the version (manifests)',
      fixture: 'deployment-selector-version.json',
      source: 'manifests',
      findings: [{
        object: 'Deployment/shop/web',
        cause: 'workload-selector',
        message: ['app.kubernetes.io/version=1.8.2', 'immutable'],
        rootCause: ['field is immutable'],
        commands: ['kubectl -n shop delete deployment/web --cascade=orphan'],
      }],
    },
  ],
});
