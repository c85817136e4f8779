import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{
    name: 'one shop, its worker on the api image with another command, another team\'s postgres, one portal per tenant',
    fixture: 'healthy.json',
    options: { nodeCost: 70 },
  }],
  invalid: [
    {
      name: 'a staging copy in shop-staging holding the memory shop/postgres-0 waits for',
      fixture: 'staging-copy-holds-memory.json',
      findings: [
        {
          object: 'Deployment/shop-staging/api',
          message: ['is a copy of shop/deployment/api', '500m CPU and 1536Mi memory', 'without the copies shop/pod/postgres-0 would fit'],
          evidence: [
            'same image repository shopacr.azurecr.io/shop/api: shop-staging/deployment/api runs 1.6.0; shop/deployment/api runs 1.7.3',
            'none of its pods is Ready',
            'shop/pod/postgres-0 is Pending: 0/2 nodes are available: 2 Insufficient memory.',
            'aks-nodepool1-41633911-vmss000000: 1184Mi free + 2816Mi held by the copies = 4000Mi ≥ 2Gi',
          ],
          commands: ['kubectl -n shop-staging scale deployment/api --replicas=0', 'kubectl -n shop-staging delete deployment/api'],
        },
        {
          object: 'StatefulSet/shop-staging/postgres',
          message: ['is a copy of shop/statefulset/postgres (docker.io/library/postgres)', '2Gi memory'],
          evidence: ['runs 15.8; shop/statefulset/postgres runs 16.4', 'in 1 pod(s) on aks-nodepool1-41633911-vmss000000'],
          commands: ['kubectl -n shop-staging scale statefulset/postgres --replicas=0'],
        },
      ],
    },
    {
      name: 'the monthly cost of the nodes the copies force, with --node-cost',
      fixture: 'staging-copy-holds-memory.json',
      options: { nodeCost: 70 },
      findings: [
        { object: 'Deployment/shop-staging/api', message: ['the copies force 1 node(s), 70/month'], evidence: ['cost: the 2 copies hold 1 CPU and 3584Mi memory = 0.62 of a node (1900m CPU, 5792Mi allocatable) → 1 node(s) × 70/month = 70/month'] },
        { object: 'StatefulSet/shop-staging/postgres', message: ['70/month'] },
      ],
    },
    {
      name: 'the same api under a second name in one namespace',
      fixture: 'second-name-same-namespace.json',
      findings: [{
        object: 'Deployment/shop/api-old',
        message: ['deployment/api-old in shop is a copy of shop/deployment/api'],
        evidence: ['shop/deployment/api-old runs 1.5.2; shop/deployment/api runs 1.7.3'],
        commands: ['kubectl -n shop scale deployment/api-old --replicas=0'],
      }],
    },
  ],
});
