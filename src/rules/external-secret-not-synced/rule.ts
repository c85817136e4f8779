import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject } from '../../model/k8s.js';
import {
  isExternalSecret, parseGoDuration, providerName, readyCondition, storeOf, storeServiceAccount, targetSecretName,
} from '../support/external-secrets.js';
import type { ExternalSecret } from '../support/external-secrets.js';
import { findPlaceholder } from '../support/placeholders.js';

type Cause = 'identity-placeholder' | 'store-missing' | 'store-not-ready' | 'identity-not-federated' | 'access-denied' | 'remote-key-missing' | 'stale' | 'target-missing' | 'sync-error';

const notFederated = /AADSTS70021|AADSTS700213|AADSTS700024|No matching federated identity|AssumeRoleWithWebIdentity|WebIdentityErr|iam\.serviceAccounts\.getAccessToken|Workload Identity/i;
const accessDenied = /\b403\b|Forbidden|AccessDenied|access denied|does not have secrets? (get|list) permission|PermissionDenied|permission denied|not authorized|AuthorizationFailed/i;
const remoteMissing = /SecretNotFound|ResourceNotFoundException|NoSuchKey|secret not found|Secret does not exist|NOT_FOUND|\b404\b|could not find secret|key .* not found/i;
const unknownClient = /AADSTS700016|AADSTS90002|invalid_client|application with identifier/i;

function ageSeconds(now: Date, iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : (now.getTime() - time) / 1000;
}

function humanDuration(seconds: number): string {
  if (seconds >= 86400) return `${Math.round(seconds / 3600 / 24)}d`;
  if (seconds >= 3600) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 60)}m`;
}

interface Diagnosis {
  readonly cause: Cause;
  readonly evidence: string[];
  readonly causedBy: KubeObject[];
  readonly data: Record<string, string>;
}

function diagnose(model: ClusterModel, es: ExternalSecret, now: Date): Diagnosis | undefined {
  const namespace = es.metadata?.namespace ?? '';
  const ready = readyCondition(es);
  const target = targetSecretName(es);
  const targetExists = model.get('Secret', namespace, target) !== undefined;
  const secretsListed = model.kinds().includes('Secret');
  const { kind: storeKind, name: storeName, store } = storeOf(model, es);
  const evidence: string[] = [];
  const causedBy: KubeObject[] = [];
  if (ready) evidence.push(`condition Ready=${ready.status ?? '?'} reason ${ready.reason ?? '-'}: ${ready.message ?? ''}`.trim());
  const message = ready?.message ?? '';
  const storeReady = store ? readyCondition(store) : undefined;
  if (store) evidence.push(`${storeKind} ${storeName} (${providerName(store) ?? 'provider ?'}): Ready=${storeReady?.status ?? '?'}${storeReady?.message ? ` — ${storeReady.message}` : ''}`);
  const account = store ? storeServiceAccount(store, namespace) : undefined;
  const serviceAccount = account ? model.get('ServiceAccount', account.namespace, account.name) : undefined;
  const identityPlaceholders = Object.entries(serviceAccount?.metadata?.annotations ?? {}).flatMap(([key, value]) => {
    const placeholder = findPlaceholder(value);
    return placeholder ? [`${key}: ${value}`] : [];
  });
  if (account) evidence.push(`the store authenticates as ServiceAccount ${account.namespace}/${account.name}${serviceAccount ? '' : ' (not found)'}${identityPlaceholders.length ? ` annotated ${identityPlaceholders.join(', ')}` : ''}`);
  if (secretsListed) evidence.push(targetExists ? `target Secret ${target} exists` : `target Secret ${target} does not exist: pods that reference it cannot start`);
  const data = {
    store: storeName, storeKind, target, serviceAccount: account?.name ?? '<service-account>', saNamespace: account?.namespace ?? namespace,
    reason: ready?.reason ?? 'NotReady', detail: '', annotationKey: 'azure.workload.identity/client-id',
  };

  const failing = ready?.status === 'False';
  if (failing || (ready?.status !== 'True' && ready !== undefined)) {
    if (identityPlaceholders.length > 0 || (/\$\{[A-Z_]+\}|<[A-Z_]+>/.test(message) && unknownClient.test(message))) {
      if (serviceAccount) causedBy.push(serviceAccount);
      const key = (identityPlaceholders[0] ?? '').split(':')[0] ?? '';
      return { cause: 'identity-placeholder', evidence, causedBy, data: { ...data, annotationKey: key || data.annotationKey, detail: identityPlaceholders[0] ?? 'the client id in the error is a placeholder' } };
    }
    if (!store && model.kinds().includes(storeKind)) return { cause: 'store-missing', evidence: [...evidence, `${storeKind} ${storeName} does not exist`], causedBy, data };
    if (store && storeReady?.status === 'False') {
      causedBy.push(store);
      return { cause: 'store-not-ready', evidence, causedBy, data: { ...data, detail: storeReady.message ?? storeReady.reason ?? '' } };
    }
    if (notFederated.test(message)) return { cause: 'identity-not-federated', evidence, causedBy, data };
    if (unknownClient.test(message)) return { cause: 'identity-not-federated', evidence, causedBy, data };
    if (accessDenied.test(message)) return { cause: 'access-denied', evidence, causedBy, data };
    if (remoteMissing.test(message)) return { cause: 'remote-key-missing', evidence, causedBy, data };
    return { cause: 'sync-error', evidence, causedBy, data };
  }
  if (ready?.status !== 'True') return undefined;
  // Ready can be stale: the controller may have stopped refreshing, or the Secret was deleted since.
  if (secretsListed && !targetExists && es.spec?.target?.creationPolicy !== 'None') {
    return { cause: 'target-missing', evidence, causedBy, data };
  }
  const interval = parseGoDuration(es.spec?.refreshInterval ?? '1h');
  const age = ageSeconds(now, es.status?.refreshTime);
  if (interval !== undefined && interval > 0 && age !== undefined && age > 2 * interval + 300) {
    return {
      cause: 'stale',
      evidence: [...evidence, `last refresh ${es.status?.refreshTime ?? ''}, ${humanDuration(age)} ago; refreshInterval ${es.spec?.refreshInterval ?? '1h'}`],
      causedBy,
      data: { ...data, detail: `last refreshed ${humanDuration(age)} ago with refreshInterval ${es.spec?.refreshInterval ?? '1h'}` },
    };
  }
  return undefined;
}

export default defineRule({
  id: 'external-secret-not-synced',
  meta: {
    title: 'ExternalSecret not synced',
    description: 'An ExternalSecret (external-secrets.io) is not Ready (SecretSyncedError), its SecretStore/ClusterSecretStore is not Ready, or its Ready is stale (no refresh for several intervals, target Secret missing); names the reason: identity placeholders, missing federation, access denied, missing remote key.',
    category: 'config',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    notSynced: 'ExternalSecret {{name}} does not sync Secret {{target}}: {{summary}}',
  },
  runbook: {
    symptoms: 'Pods that need the Secret stay in CreateContainerConfigError (`secret "…" not found`) or run with old values; `kubectl get externalsecret` shows SecretSyncedError or READY False.',
    rootCause: 'The External Secrets Operator cannot read the value from the provider, so the Kubernetes Secret is not created or not refreshed.',
    diagnosis: [
      { description: 'Read the ExternalSecret\'s conditions and events', command: 'kubectl -n {{namespace}} describe externalsecret {{name}}' },
      { description: 'Check the store it uses', command: 'kubectl -n {{namespace}} describe {{storeKind}} {{store}}' },
      { description: 'Read the operator\'s log', command: 'kubectl -n external-secrets logs deploy/external-secrets --since=1h | grep {{name}}' },
    ],
    fix: [{ description: 'Fix the cause the condition names, then force a refresh', command: 'kubectl -n {{namespace}} annotate externalsecret {{name}} force-sync=$(date +%s) --overwrite', mutates: true }],
    prevention: 'Alert on `externalsecret_status_condition{condition="Ready",status="False"}`, render identity annotations in CI and fail on placeholders, and check `kubectl get externalsecret -A` after every deploy.',
    causes: {
      'identity-placeholder': {
        title: 'Workload identity annotation is a placeholder',
        rootCause: 'The store authenticates as ServiceAccount {{saNamespace}}/{{serviceAccount}}, whose identity annotation is a placeholder ({{detail}}); the cloud has no such application, so no token is issued and nothing syncs.',
        fix: [
          { description: 'Look up the real client id of the managed identity', command: 'az identity show --name <identity-name> --resource-group <resource-group> --query clientId -o tsv' },
          { description: 'Annotate the ServiceAccount with it', command: 'kubectl -n {{saNamespace}} annotate serviceaccount {{serviceAccount}} {{annotationKey}}=<client-id> --overwrite', mutates: true },
          { description: 'Force the ExternalSecret to sync again', command: 'kubectl -n {{namespace}} annotate externalsecret {{name}} force-sync=$(date +%s) --overwrite', mutates: true },
        ],
      },
      'store-missing': {
        title: 'Secret store does not exist',
        rootCause: 'The ExternalSecret reads from {{storeKind}} {{store}}, which does not exist.',
        fix: [{ description: 'List the stores and fix spec.secretStoreRef', command: 'kubectl get secretstores,clustersecretstores -A' }],
      },
      'store-not-ready': {
        title: 'Secret store not Ready',
        rootCause: '{{storeKind}} {{store}} is not Ready ({{detail}}); every ExternalSecret that uses it fails.',
        fix: [{ description: 'Fix the store\'s provider configuration or credentials', command: 'kubectl -n {{namespace}} describe {{storeKind}} {{store}}' }],
      },
      'identity-not-federated': {
        title: 'Identity not federated or unknown',
        rootCause: 'The provider refused the workload identity token: the identity has no federated credential for ServiceAccount {{saNamespace}}/{{serviceAccount}} (issuer + subject), or the client id is wrong.',
        fix: [
          { description: 'Add the federated credential for the ServiceAccount (Azure)', command: 'az identity federated-credential create --name {{serviceAccount}} --identity-name <identity-name> --resource-group <resource-group> --issuer "$(az aks show -n <aks-cluster> -g <resource-group> --query oidcIssuerProfile.issuerUrl -o tsv)" --subject system:serviceaccount:{{saNamespace}}:{{serviceAccount}}', mutates: true },
        ],
      },
      'access-denied': {
        title: 'Access denied by the provider',
        rootCause: 'The store authenticates, but its identity may not read the secret (missing role assignment or policy).',
        fix: [{ description: 'Grant the identity read access to the secrets (Azure Key Vault with RBAC)', command: 'az role assignment create --role "Key Vault Secrets User" --assignee <client-id> --scope <key-vault-resource-id>', mutates: true }],
      },
      'remote-key-missing': {
        title: 'Remote secret does not exist',
        rootCause: 'The provider has no secret under the key the ExternalSecret asks for.',
        fix: [{ description: 'Compare spec.data[].remoteRef.key with the provider\'s secret names', command: 'kubectl -n {{namespace}} get externalsecret {{name}} -o jsonpath=\'{.spec.data[*].remoteRef.key}\'' }],
      },
      stale: {
        title: 'Ready but not refreshed',
        rootCause: 'Ready is True, but the ExternalSecret was {{detail}}: the controller is not reconciling it (operator down, webhook or RBAC problem), so rotated values do not arrive.',
        fix: [
          { description: 'Check that the operator runs', command: 'kubectl -n external-secrets get pods' },
          { description: 'Force a refresh', command: 'kubectl -n {{namespace}} annotate externalsecret {{name}} force-sync=$(date +%s) --overwrite', mutates: true },
        ],
      },
      'target-missing': {
        title: 'Ready but the Secret is missing',
        rootCause: 'The ExternalSecret reports Ready, but Secret {{target}} does not exist: it was deleted after the last sync and the controller has not recreated it.',
        fix: [
          { description: 'Force a sync so the Secret is written again', command: 'kubectl -n {{namespace}} annotate externalsecret {{name}} force-sync=$(date +%s) --overwrite', mutates: true },
          { description: 'Check that the operator runs', command: 'kubectl -n external-secrets get pods' },
        ],
      },
      'sync-error': {
        title: 'Sync failed',
        rootCause: 'The operator could not sync the secret ({{reason}}); the condition message says why.',
        fix: [{ description: 'Read the full condition', command: 'kubectl -n {{namespace}} get externalsecret {{name}} -o jsonpath=\'{.status.conditions}\'' }],
      },
    },
  },
  *detect(model, context) {
    for (const object of model.list('ExternalSecret')) {
      if (!isExternalSecret(object)) continue;
      const result = diagnose(model, object, context.now);
      if (!result) continue;
      const summary = {
        'identity-placeholder': `its store's workload identity is a placeholder (${result.data.detail ?? ''})`,
        'store-missing': `${result.data.storeKind ?? ''} ${result.data.store ?? ''} does not exist`,
        'store-not-ready': `${result.data.storeKind ?? ''} ${result.data.store ?? ''} is not Ready`,
        'identity-not-federated': 'the provider refused the workload identity',
        'access-denied': 'the provider denied access',
        'remote-key-missing': 'the remote secret does not exist',
        stale: `Ready is stale: ${result.data.detail ?? ''}`,
        'target-missing': `Ready, but Secret ${result.data.target ?? ''} is missing`,
        'sync-error': result.data.reason ?? 'sync failed',
      }[result.cause];
      yield {
        subject: object,
        messageId: 'notSynced',
        cause: result.cause,
        ...(result.cause === 'stale' ? { severity: 'warning' as const } : {}),
        data: { ...result.data, summary },
        evidence: result.evidence,
        causedBy: result.causedBy,
      };
    }
  },
});
