import { fileURLToPath } from 'node:url';
import { testRule } from '../../../test/support/rule-tester.js';
import { defineRule } from '../../engine/define-rule.js';
import { describe, expect, it } from 'vitest';
import rule, { reportPattern } from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

/** Stands in for external-secret-not-synced (another module) so the chain's root has a finding. */
const externalSecretNotReady = defineRule({
  id: 'test-external-secret',
  meta: { title: 'ExternalSecret not Ready', description: 'Test double: ExternalSecrets whose Ready condition is False.', category: 'config', severity: 'critical', sources: ['cluster'] },
  messages: { notReady: '{{name}} is not Ready' },
  runbook: { symptoms: 'not Ready', rootCause: 'not Ready', diagnosis: [], fix: [], prevention: 'none' },
  *detect(model) {
    for (const es of model.list('ExternalSecret')) {
      const conditions = (es.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Ready' && c.status === 'False')) yield { subject: es, messageId: 'notReady' };
    }
  },
});

testRule(rule, fixtures, {
  valid: [
    { name: 'every reference exists (an optional one may be missing; kube-root-ca.crt is the cluster\'s)', fixture: 'healthy.json' },
    { name: 'the same workloads as manifests', fixture: 'healthy.json', source: 'manifests' },
  ],
  invalid: [
    {
      name: 'a Secret an ExternalSecret has not synced yet',
      fixture: 'external-secret-not-synced.json',
      withRules: [externalSecretNotReady],
      findings: [{
        object: 'Deployment/shop/mailer',
        cause: 'external-secret-not-synced',
        message: ['deployment/mailer needs Secret smtp-credentials, which does not exist in namespace shop'],
        evidence: [
          'container mailer env: Secret smtp-credentials key password',
          'waiting in CreateContainerConfigError: secret "smtp-credentials" not found',
          'Secret smtp-credentials is produced by ExternalSecret smtp-credentials',
          'Ready=False (SecretSyncedError)',
        ],
        commands: ['kubectl -n shop describe externalsecret smtp-credentials', 'kubectl -n shop annotate externalsecret smtp-credentials force-sync=$(date +%s) --overwrite'],
        causedBy: ['ExternalSecret/shop/smtp-credentials'],
      }],
    },
    {
      name: 'an optional reference to a Secret an ExternalSecret should make (the app crashes without it)',
      fixture: 'optional-external-secret.json',
      withRules: [externalSecretNotReady],
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'external-secret-not-synced',
        evidence: ['container api env: Secret api-auth key BETTER_AUTH_SECRET (optional: the container starts without it)'],
        causedBy: ['ExternalSecret/shop/api-auth'],
      }],
    },
    {
      name: 'a ConfigMap key whose case differs',
      fixture: 'configmap-key-missing.json',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'key-missing',
        message: ['needs key LOG_LEVEL of ConfigMap api-config'],
        evidence: ["couldn't find key LOG_LEVEL in ConfigMap shop/api-config", 'ConfigMap api-config has keys: WORKERS, log_level'],
        rootCause: ['it has: WORKERS, log_level'],
        commands: ['kubectl -n shop patch configmap api-config -p \'{"data":{"LOG_LEVEL":"<value>"}}\''],
      }],
    },
    {
      name: 'a ServiceAccount that does not exist (the ReplicaSet cannot create pods)',
      fixture: 'service-account-missing.json',
      findings: [{
        object: 'Deployment/shop/payments',
        cause: 'service-account-missing',
        evidence: ['serviceaccount "payments" not found'],
        commands: ['kubectl -n shop create serviceaccount payments'],
      }],
    },
    {
      name: 'manifests: a Secret the set does not define, in a namespace where it defines others',
      fixture: 'manifests.json',
      source: 'manifests',
      findings: [{
        object: 'Deployment/shop/api',
        cause: 'secret-missing',
        message: ['needs Secret db-credentials'],
        commands: ['kubectl -n shop create secret generic db-credentials --from-literal=password=<value>'],
      }],
    },
  ],
});

describe('reportPattern', () => {
  it('matches the messages the kubelet and controllers write about a missing object, by its whole name', () => {
    expect(reportPattern('Secret', 'smtp-credentials').test('secret "smtp-credentials" not found')).toBe(true);
    expect(reportPattern('ConfigMap', 'api-config').test("couldn't find key LOG_LEVEL in ConfigMap shop/api-config")).toBe(true);
    expect(reportPattern('ConfigMap', 'api-config').test("couldn't find key LOG_LEVEL in ConfigMap shop/api-config.")).toBe(true);
    expect(reportPattern('ServiceAccount', 'payments').test('pods "payments-7d9f-" is forbidden: error looking up service account shop/payments: serviceaccount "payments" not found')).toBe(true);
    // A name that is only the start of another one is not it.
    expect(reportPattern('Secret', 'db').test("couldn't find key password in Secret shop/db-creds")).toBe(false);
    expect(reportPattern('ConfigMap', 'api').test("couldn't find key LOG_LEVEL in ConfigMap shop/api.v2")).toBe(false);
    expect(reportPattern('Secret', 'db').test('secret "db-creds" not found')).toBe(false);
  });
});
