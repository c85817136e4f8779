import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [
    { name: 'minAvailable below the replica count', fixture: 'healthy.json' },
    { name: 'the same set as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'minAvailable equal to the replicas',
      fixture: 'min-available-equals-replicas.json',
      source: 'manifests',
      findings: [{
        object: 'PodDisruptionBudget/shop/web',
        cause: 'blocks-all-disruptions',
        message: ['minAvailable: 3 for 3 replicas'],
        commands: ['kubectl -n shop patch pdb web --type=merge -p \'{"spec":{"minAvailable":null,"maxUnavailable":1}}\''],
      }],
    },
    {
      name: 'maxUnavailable: 0',
      fixture: 'max-unavailable-zero.json',
      findings: [{ object: 'PodDisruptionBudget/shop/web', cause: 'blocks-all-disruptions', message: ['maxUnavailable: 0'] }],
    },
    {
      name: 'a budget whose selector matches no workload (and so leaves the Deployment unprotected)',
      fixture: 'selects-nothing.json',
      source: 'manifests',
      findings: [
        { object: 'PodDisruptionBudget/shop/web', cause: 'selects-nothing', severity: 'warning', message: ['app=web'] },
        { object: 'Deployment/shop/web', cause: 'no-pdb', severity: 'info' },
      ],
    },
    {
      name: 'two replicas without a budget: info',
      fixture: 'no-pdb.json',
      findings: [{
        object: 'Deployment/shop/web',
        cause: 'no-pdb',
        severity: 'info',
        commands: ['kubectl -n shop create poddisruptionbudget web --selector=app.kubernetes.io/name=web,app.kubernetes.io/instance=shop --max-unavailable=1'],
      }],
    },
  ],
});
