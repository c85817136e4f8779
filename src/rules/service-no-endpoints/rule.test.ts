import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import imagePullFailed from '../image-pull-failed/rule.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'a Service with ready endpoints, and one without selector', fixture: 'healthy.json' },
    { name: 'manifests whose Service selects its Deployment\'s template', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a version label in the selector that the pods no longer carry',
      fixture: 'selector-version-mismatch.json',
      findings: [{
        object: 'Service/shop/cache',
        cause: 'selector-mismatch',
        message: ['selector app.kubernetes.io/version=7.2.5 matches none of the 1 pods with app.kubernetes.io/name=cache (they carry app.kubernetes.io/version=7.4.1)'],
        evidence: ['nearest pod cache-7bkj9bzgkg-', 'app.kubernetes.io/version=7.4.1 where the selector wants 7.2.5'],
        commands: [`kubectl -n shop patch service cache -p '{"spec":{"selector":{"app.kubernetes.io/version":null}}}'`],
      }],
    },
    {
      name: 'manifests: no pod template matches the selector',
      fixture: 'selector-version-mismatch.json',
      source: 'manifests',
      findings: [{
        object: 'Service/shop/cache',
        cause: 'selector-mismatch',
        message: ['matches none of the 1 pod templates with app.kubernetes.io/name=cache (they carry app.kubernetes.io/version=7.4.1)'],
        evidence: ['nearest pod template deployment/cache: app.kubernetes.io/version=7.4.1 where the selector wants 7.2.5'],
      }],
    },
    {
      name: 'selected pods that cannot pull their image',
      fixture: 'pods-not-ready.json',
      withRules: [imagePullFailed],
      findings: [{
        object: 'Service/shop/api',
        cause: 'pods-not-ready',
        message: ['none of the 2 selected pods is Ready', 'ImagePullBackOff'],
        evidence: ['endpoints: 0 ready, 2 not ready'],
        commands: ['kubectl -n shop describe pods -l app.kubernetes.io/name=api'],
        causedBy: ['Deployment/shop/api'],
      }],
    },
    {
      name: 'the only matching workload scaled to zero',
      fixture: 'scaled-to-zero.json',
      findings: [{
        object: 'Service/shop/mailer',
        cause: 'scaled-to-zero',
        message: ['matches deployment/mailer, scaled to 0 replicas'],
        commands: ['kubectl -n shop scale deployment/mailer --replicas=1'],
      }],
    },
  ],
});
