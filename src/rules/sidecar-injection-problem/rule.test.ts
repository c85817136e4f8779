import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'a running injector, a pod with its daprd sidecar, an init container that completed', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'the Dapr injector failing and a pod created without its sidecar',
      fixture: 'dapr-injector-failing.json',
      findings: [
        {
          object: 'Deployment/dapr-system/dapr-sidecar-injector',
          cause: 'injector-failing',
          message: ['the Dapr injector is not running', 'CreateContainerError'],
          evidence: ['read-only file system'],
          commands: ['kubectl -n dapr-system describe pod dapr-sidecar-injector-6b8d9f7c5d-a1b2c'],
        },
        {
          object: 'Deployment/shop/orders',
          cause: 'sidecar-missing',
          message: ['asked for the Dapr sidecar (annotation dapr.io/enabled: "true")', 'without daprd'],
          evidence: ['injector pods not Ready: dapr-sidecar-injector-6b8d9f7c5d-a1b2c'],
          commands: ['kubectl -n shop rollout restart deployment/orders'],
          causedBy: ['Deployment/dapr-system/dapr-sidecar-injector'],
        },
      ],
    },
    {
      name: 'an init container that waits for a database for 45 minutes',
      fixture: 'stuck-in-init.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'stuck-in-init',
        message: ['stuck in Init for 45 min', 'wait-for-db is still running'],
        commands: ['kubectl -n shop logs api-6b8d9f7c5d-w8v7u -c wait-for-db'],
      }],
    },
  ],
});
