import { defineRule } from '../../engine/define-rule.js';
import type { FixStep } from '../../engine/types.js';
import { groupBy } from '../../model/collections.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject } from '../../model/k8s.js';
import { kubectlName, refOf } from '../../model/object-ref.js';
import { parseRedacted } from '../../model/redacted.js';
import type { RedactedValue } from '../../model/redacted.js';
import type { FieldPath } from '../../model/source-location.js';
import { describeOrigin, environments } from '../support/env.js';
import type { EnvOrigin } from '../support/env.js';
import { publicHostsOf } from '../support/ingress-hosts.js';
import { authSecretName, logEvidence } from '../support/login-flow.js';

/** What a service logs when it gets a token or cookie signed with another secret. */
const tokenRejected = /invalid (?:token|signature|session)|signature verification failed|JWSSignatureVerificationFailed|JWTSessionError|failed to decrypt|jwt malformed|invalid jwt|bad signature/i;


const minimumLength = 32;

interface Use {
  readonly owner: KubeObject;
  readonly container: string;
  readonly value: RedactedValue;
  readonly origin: EnvOrigin;
  readonly path: FieldPath;
  /** Whether an Ingress routes to the workload: the service users log in to. */
  readonly public: boolean;
}

function usesByName(model: ClusterModel): Map<string, Use[]> {
  const uses = new Map<string, Use[]>();
  for (const env of environments(model)) {
    for (const variable of env.vars.values()) {
      if (!authSecretName.test(variable.name)) continue;
      const value = parseRedacted(variable.value);
      if (!value) continue;
      const id = `${env.namespace}/${variable.name}`;
      const isPublic = publicHostsOf(model, env.owner, env.template.template.metadata?.labels).length > 0;
      const list = uses.get(id) ?? [];
      // One entry per workload: several containers of one pod agree or are reported once.
      if (!list.some((u) => u.owner === env.owner && u.value.fingerprint === value.fingerprint)) {
        list.push({ owner: env.owner, container: env.container, value, origin: variable.origin, path: variable.path, public: isPublic });
      }
      uses.set(id, list);
    }
  }
  return uses;
}

/**
 * Fingerprints are keyed per run, so evidence names values by letter instead (A for the
 * reference value, then B, C … in order of the workloads): stable across runs, never the value.
 */
function describeUse(use: Use, label?: string): string {
  return `${kubectlName(refOf(use.owner))} (container ${use.container}) gets it from ${describeOrigin(use.origin)}: ${use.value.length} characters${label ? `, value ${label}` : ''}`;
}

function valueLabels(groups: readonly Use[][], reference: readonly Use[] | undefined): Map<string, string> {
  const ordered = [...(reference ? [reference] : []), ...groups.filter((g) => g !== reference)];
  return new Map(ordered.map((group, index) => [group[0]?.value.fingerprint ?? '', String.fromCharCode(65 + Math.min(index, 25))]));
}

/** The value the others should match: the most used one, then the one the public service uses, then the longest. */
function referenceGroup(groups: readonly Use[][]): Use[] | undefined {
  return [...groups].sort((a, b) =>
    b.length - a.length
    || Number(b.some((u) => u.public)) - Number(a.some((u) => u.public))
    || (b[0]?.value.length ?? 0) - (a[0]?.value.length ?? 0)
    || kubectlName(refOf(a[0]?.owner ?? {})).localeCompare(kubectlName(refOf(b[0]?.owner ?? {}))))[0];
}

function groupByFingerprint(uses: readonly Use[]): Use[][] {
  return [...groupBy(uses, (use) => use.value.fingerprint).values()];
}

/** The concrete step that makes a workload read the reference value: a JSON patch of its env entry, or `set env --from`. */
function pointAtReference(use: Use, reference: Use, envName: string): FixStep {
  const namespace = use.owner.metadata?.namespace ?? '';
  const target = kubectlName(refOf(use.owner));
  const ref = secretCommandSource(reference.origin);
  const envIndex = use.path.lastIndexOf('env');
  if (use.origin.type !== 'field' && !(use.origin.type !== 'literal' && use.origin.via === 'envFrom') && envIndex >= 0) {
    const entryPath = `/${use.path.slice(0, envIndex + 2).join('/')}`;
    const entry = JSON.stringify({ name: envName, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } });
    return {
      description: `Make ${target} read ${envName} from Secret ${ref.secret} key ${ref.key}, as ${kubectlName(refOf(reference.owner))} does`,
      command: `kubectl -n ${namespace} patch ${target} --type=json -p '[{"op":"replace","path":"${entryPath}","value":${entry}}]'`,
      mutates: true,
    };
  }
  return {
    description: `Make ${target} read ${envName} from Secret ${ref.secret}, as ${kubectlName(refOf(reference.owner))} does`,
    command: `kubectl -n ${namespace} set env ${target} --containers=${use.container} --from=secret/${ref.secret} --keys=${ref.key}`,
    mutates: true,
  };
}

function secretCommandSource(origin: EnvOrigin): { secret: string; key: string } {
  return origin.type === 'Secret' || origin.type === 'ConfigMap' ? { secret: origin.name, key: origin.key } : { secret: '<secret>', key: '<key>' };
}

export default defineRule({
  id: 'secret-mismatch',
  meta: {
    title: 'Shared auth secret differs between workloads',
    description: 'An auth/JWT/session secret (BETTER_AUTH_SECRET, JWT_SECRET, NEXTAUTH_SECRET, SESSION_SECRET …) that must be identical across services differs between the workloads that use it, or is shorter than 32 characters; compared by fingerprint only.',
    category: 'config',
    severity: 'critical',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    differs: '{{envName}} of {{kubectlName}} differs from the one {{reference}} uses: tokens and sessions one signs, the other rejects',
    short: '{{envName}} of {{kubectlName}} is {{length}} characters long; auth secrets need at least {{minimum}}',
  },
  runbook: {
    symptoms: 'Users can log in but are logged out at once or get 401 on the next call; one service logs `Invalid token`, `Signature verification failed`, `JWTSessionError` or `Failed to decrypt` while the service that issued the token is fine.',
    rootCause: 'Services that verify each other\'s tokens or cookies must use the same signing secret; one of them gets a different value.',
    diagnosis: [
      { description: 'See where each workload takes the variable from', command: 'kubectl -n {{namespace}} get {{kubectlName}} -o jsonpath=\'{range .spec.template.spec.containers[*]}{.name}{": "}{.env[?(@.name=="{{envName}}")]}{"\\n"}{end}\'' },
      { description: 'Compare the values by hash, without printing them', command: 'kubectl -n {{namespace}} get secret {{secret}} -o jsonpath=\'{.data.{{key}}}\' | base64 -d | sha256sum' },
    ],
    fix: [
      { description: 'Make every workload read the same Secret key', command: 'kubectl -n {{namespace}} set env {{kubectlName}} --from=secret/{{referenceSecret}} --keys={{referenceKey}}', mutates: true },
    ],
    prevention: 'Keep one Secret per shared signing key and reference it from every workload (one `secretKeyRef`, generated once, e.g. `openssl rand -base64 48`); never give services their own copy.',
    causes: {
      differs: {
        title: 'Workloads use different values',
        rootCause: '{{kubectlName}} reads {{envName}} from {{origin}}, {{reference}} from {{referenceOrigin}}; the fingerprints differ, so tokens signed by one are rejected by the other.',
        fix: [
          { description: 'Once every workload reads the shared key, find what still reads the old copy, and delete it when nothing does', command: 'kubectl -n {{namespace}} get deploy,statefulset,cronjob -o yaml | grep -n {{secret}}' },
        ],
      },
      'too-short': {
        title: 'Secret too short',
        rootCause: '{{envName}} has {{length}} characters ({{origin}}); auth libraries (better-auth, NextAuth, JWT HS256) need at least {{minimum}} random characters, and a short value is usually a development default.',
        fix: [
          { description: 'Generate a strong value in the Secret every workload reads', command: 'kubectl -n {{namespace}} patch secret {{secret}} -p "{\\"stringData\\":{\\"{{key}}\\":\\"$(openssl rand -base64 48)\\"}}"', mutates: true },
          { description: 'Restart the workloads that read it (existing sessions end)', command: 'kubectl -n {{namespace}} rollout restart {{kubectlName}}', mutates: true },
        ],
      },
    },
  },
  *detect(model) {
    for (const [id, uses] of usesByName(model)) {
      const envName = id.slice(id.indexOf('/') + 1);
      const groups = groupByFingerprint(uses);
      const reference = groups.length > 1 ? referenceGroup(groups) : undefined;
      const referenceUse = reference?.[0];
      const agreeing = new Set(reference ?? []);
      const labels = valueLabels(groups, reference);
      const describe = (u: Use): string => describeUse(u, labels.get(u.value.fingerprint));
      for (const use of uses) {
        const own = secretCommandSource(use.origin);
        const common = { envName, origin: describeOrigin(use.origin), secret: own.secret, key: own.key, length: use.value.length, minimum: minimumLength };
        if (referenceUse && !agreeing.has(use)) {
          const ref = secretCommandSource(referenceUse.origin);
          yield {
            subject: use.owner,
            messageId: 'differs',
            cause: 'differs',
            key: `differs:${envName}`,
            path: use.path,
            data: {
              ...common,
              reference: kubectlName(refOf(referenceUse.owner)),
              referenceOrigin: describeOrigin(referenceUse.origin),
              referenceSecret: ref.secret,
              referenceKey: ref.key,
              envPath: use.path.join('/'),
            },
            evidence: [describe(use), ...uses.filter((u) => u !== use).map(describe), ...logEvidence(model, use.owner, tokenRejected), ...logEvidence(model, referenceUse.owner, tokenRejected)],
            fix: [pointAtReference(use, referenceUse, envName)],
          };
        }
        if (use.value.length < minimumLength) {
          yield {
            subject: use.owner,
            messageId: 'short',
            cause: 'too-short',
            key: `too-short:${envName}`,
            path: use.path,
            severity: 'warning',
            data: { ...common, reference: '', referenceOrigin: '', referenceSecret: own.secret, referenceKey: own.key, envPath: use.path.join('/') },
            evidence: [describeUse(use)],
          };
        }
      }
    }
  },
});
