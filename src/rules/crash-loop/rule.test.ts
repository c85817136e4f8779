import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import { defineRule } from '../../engine/define-rule.js';
import dependencyNotReady from '../dependency-not-ready/rule.js';
import missingConfigReference from '../missing-config-reference/rule.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

/** Stands in for external-secret-not-synced (another module) so the chain's root has a finding. */
const externalSecretNotReady = defineRule({
  id: 'test-external-secret',
  meta: { title: 'ExternalSecret not Ready', description: 'Test double: every ExternalSecret.', category: 'config', severity: 'critical', sources: ['cluster'] },
  messages: { notReady: '{{name}} is not Ready' },
  runbook: { symptoms: 'not Ready', rootCause: 'not Ready', diagnosis: [], fix: [], prevention: 'none' },
  *detect(model) {
    for (const es of model.list('ExternalSecret')) yield { subject: es, messageId: 'notReady' };
  },
});

testRule(rule, fixtures, {
  valid: [
    { name: 'running pods, one with two restarts days ago', fixture: 'healthy.json' },
    { name: 'restarts caused by memory kills and liveness kills (oom-killed and probe-failing report them)', fixture: 'oom-and-liveness-kills.json' },
  ],
  invalid: [
    {
      name: 'an API that cannot reach its database',
      fixture: 'database-refused.json',
      withRules: [dependencyNotReady],
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'dependency-unreachable',
        severity: 'critical',
        message: ['api keeps crashing', '29 restarts', 'exit code 1 (Error)', 'Connection refused by a dependency (postgres:5432)'],
        evidence: [
          'log line 9: psycopg2.OperationalError: could not connect to server: Connection refused',
          'Service shop/postgres has 0 ready endpoints: postgres-0 Pending (Unschedulable)',
        ],
        rootCause: ['cannot reach postgres:5432'],
        commands: ['kubectl -n shop logs api-', '-c api --previous', 'nc -zv -w 3 postgres 5432', 'kubectl -n shop describe pod postgres-0'],
        causedBy: ['Service/shop/postgres'],
      }],
    },
    {
      name: 'the same API without a log: its DATABASE_URL points at the Service that is down',
      fixture: 'database-down-no-log.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'dependency-unreachable',
        message: ['no log available; its configured dependency postgres:5432 is down'],
        evidence: ['Service shop/postgres has 0 ready endpoints: postgres-0 Pending (Unschedulable)'],
        commands: ['nc -zv -w 3 postgres 5432', 'kubectl -n shop describe pod postgres-0'],
      }],
    },
    {
      name: 'an API whose settings read a variable the staging namespace does not set',
      fixture: 'missing-env.json',
      findings: [{
        object: 'Deployment/shop-staging/api',
        cause: 'missing-config',
        message: ['BETTER_AUTH_SECRET'],
        evidence: ["KeyError: 'BETTER_AUTH_SECRET'"],
        rootCause: ['BETTER_AUTH_SECRET is not set'],
        commands: [
          'kubectl -n shop-staging create secret generic api-auth --from-literal=BETTER_AUTH_SECRET=<value>',
          'kubectl -n shop-staging set env deployment/api -c api --from=secret/api-auth --keys=BETTER_AUTH_SECRET',
        ],
      }],
    },
    {
      name: 'an optional Secret reference whose ExternalSecret has not synced: the app starts and crashes',
      fixture: 'external-secret-missing.json',
      withRules: [missingConfigReference, externalSecretNotReady],
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'missing-config',
        evidence: ["KeyError: 'BETTER_AUTH_SECRET'", 'env BETTER_AUTH_SECRET comes from Secret api-auth, which does not exist', 'produced by ExternalSecret api-auth'],
        causedBy: ['ExternalSecret/shop/api-auth'],
      }],
    },
    {
      name: 'a one-off command run as a Deployment (exit code 0, no log captured)',
      fixture: 'exits-zero.json',
      findings: [{
        object: 'Deployment/shop/migrate',
        cause: 'exits-immediately',
        message: ['exit code 0 (Completed)', 'no log available'],
        commands: ['kubectl -n shop logs migrate-', '--previous'],
      }],
    },
  ],
});
