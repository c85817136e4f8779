import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/support/rule-tester.js';
import { parseGoDuration } from '../support/external-secrets.js';
import unresolvedPlaceholder from '../unresolved-placeholder/rule.js';
import rule from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{ name: 'synced 30 minutes ago with a 1h interval, and one with refresh disabled; Secrets present, identity real', fixture: 'healthy.json' }],
  invalid: [
    {
      name: 'SecretSyncedError because the store\'s workload-identity ServiceAccount still says ${AZURE_CLIENT_ID}',
      fixture: 'identity-placeholder.json',
      withRules: [unresolvedPlaceholder],
      findings: [{
        object: 'ExternalSecret/shop/smtp-credentials',
        cause: 'identity-placeholder',
        message: ['does not sync Secret smtp-credentials', '${AZURE_CLIENT_ID}'],
        evidence: [
          'condition Ready=False reason SecretSyncedError',
          'AADSTS700016',
          'SecretStore azure-keyvault (azurekv): Ready=True',
          'the store authenticates as ServiceAccount shop/mailer annotated azure.workload.identity/client-id: ${AZURE_CLIENT_ID}',
          'target Secret smtp-credentials does not exist',
        ],
        commands: ['kubectl -n shop annotate serviceaccount mailer azure.workload.identity/client-id=<client-id> --overwrite', 'kubectl -n shop annotate externalsecret smtp-credentials force-sync=$(date +%s) --overwrite'],
        causedBy: ['ServiceAccount/shop/mailer'],
      }],
    },
    {
      name: 'a ClusterSecretStore that is not Ready',
      fixture: 'cluster-store-not-ready.json',
      findings: [{
        object: 'ExternalSecret/shop/smtp-credentials',
        cause: 'store-not-ready',
        message: ['ClusterSecretStore aws-secrets-manager is not Ready'],
        evidence: ['ClusterSecretStore aws-secrets-manager (aws): Ready=False — unable to validate store', 'ServiceAccount external-secrets/external-secrets'],
        rootCause: ['an IAM role must be associated with service account external-secrets'],
      }],
    },
    {
      name: 'Key Vault answering 403: the identity may not read secrets',
      fixture: 'access-denied.json',
      findings: [{
        object: 'ExternalSecret/shop/smtp-credentials',
        cause: 'access-denied',
        evidence: ['does not have secrets get permission'],
        commands: ['az role assignment create --role "Key Vault Secrets User"'],
      }],
    },
    {
      name: 'Ready=True but last refreshed three days ago with a 1h interval',
      fixture: 'stale-ready.json',
      findings: [{
        object: 'ExternalSecret/shop/smtp-credentials',
        cause: 'stale',
        severity: 'warning',
        message: ['Ready is stale: last refreshed 3d ago with refreshInterval 1h'],
        evidence: ['last refresh 2026-11-17T08:14:00Z'],
        commands: ['kubectl -n external-secrets get pods'],
      }],
    },
  ],
});

describe('parseGoDuration', () => {
  it('reads the durations refreshInterval takes', () => {
    expect(parseGoDuration('1h')).toBe(3600);
    expect(parseGoDuration('1h30m0s')).toBe(5400);
    expect(parseGoDuration('15m')).toBe(900);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('soon')).toBeUndefined();
  });
});
