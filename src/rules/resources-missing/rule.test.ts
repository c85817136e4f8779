import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'requests and a memory limit that fit the nodes', fixture: 'healthy.json' },
    { name: 'the same set as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a container without any resources',
      fixture: 'no-resources.json',
      source: 'manifests',
      findings: [
        { object: 'Deployment/shop/web', cause: 'no-requests', message: ['no cpu and memory requests'], commands: ['kubectl -n shop set resources deployment/web -c web --requests=cpu=100m,memory=128Mi'] },
        { object: 'Deployment/shop/web', cause: 'no-memory-limit', message: ['no memory limit'] },
      ],
    },
    {
      name: 'requests without a memory limit',
      fixture: 'no-memory-limit.json',
      findings: [{ object: 'Deployment/shop/web', cause: 'no-memory-limit', evidence: ['resources.limits: {}'] }],
    },
    {
      name: 'a request larger than every node',
      fixture: 'request-exceeds-node.json',
      findings: [{ object: 'Deployment/shop/web', cause: 'request-exceeds-node', severity: 'critical', message: ['cpu 6, memory 8Gi', 'cpu 3860m'] }],
    },
    {
      name: 'a request larger than the node size given with --node-allocatable (manifests)',
      fixture: 'no-memory-limit.json',
      source: 'manifests',
      options: { nodeAllocatable: { cpu: '50m', memory: '1Gi' } },
      findings: [
        { object: 'Deployment/shop/web', cause: 'no-memory-limit' },
        { object: 'Deployment/shop/web', cause: 'request-exceeds-node', message: ['cpu 100m'], evidence: ['node --node-allocatable: allocatable cpu 50m'] },
      ],
    },
  ],
});
