import { defineRule } from '../../engine/define-rule.js';
import type { KubeObject } from '../../model/k8s.js';
import { namespaceFlag } from '../support/template-containers.js';

/** Secret types whose data is written by Kubernetes itself, not by a person. */
const generatedTypes = new Set(['kubernetes.io/service-account-token', 'helm.sh/release.v1']);

interface SecretGenerator {
  readonly name?: string;
  readonly literals?: readonly string[];
}

/** Secrets a kustomization generates from files: the values live in those files (often not committed). */
function generatedFromFiles(kustomizations: readonly KubeObject[], name: string): boolean {
  return kustomizations.some((k) =>
    ((k as { secretGenerator?: readonly SecretGenerator[] }).secretGenerator ?? []).some(
      (g) => g.name !== undefined && (name === g.name || name.startsWith(`${g.name}-`)) && (g.literals ?? []).length === 0,
    ));
}

export default defineRule<'plaintext'>({
  id: 'plaintext-secret',
  meta: {
    title: 'Secret committed in plain text',
    description: 'A Secret manifest carries its values in data or stringData; base64 is an encoding, not encryption, so anyone who can read the repository has the secret.',
    category: 'config',
    severity: 'warning',
    sources: ['manifests'],
  },
  messages: {
    plaintext: 'Secret {{name}} is committed with its values ({{keys}}) in {{field}}: base64 is not encryption',
  },
  runbook: {
    symptoms: 'Credentials in the git history; secret scanners alert; rotating one means rewriting history.',
    rootCause: 'Kubernetes Secret manifests only base64-encode their values; committed, they are readable by everyone with access to the repository and its forks and CI logs.',
    diagnosis: [
      { description: 'Find every committed Secret', command: 'git grep -l "kind: Secret"' },
    ],
    fix: [
      { description: 'Rotate the values (they are public to everyone with repository access), then remove {{file}} from the repository' },
      { description: 'Create the Secret outside git', command: 'kubectl {{nsFlag}}create secret generic {{name}} --from-env-file=.env.{{name}}  # a file that is not committed', mutates: true },
      { description: 'Or commit it encrypted: Sealed Secrets, SOPS, or an ExternalSecret that reads from a vault', command: 'kubeseal --format yaml < {{file}} > {{name}}.sealed.yaml' },
    ],
    prevention: 'Keep Secrets out of git: External Secrets Operator / CSI secret store, Sealed Secrets or SOPS; add a pre-commit secret scanner.',
  },
  *detect(model) {
    const kustomizations = model.list('Kustomization');
    for (const secret of model.list('Secret')) {
      if (generatedTypes.has(secret.type ?? '')) continue;
      const name = secret.metadata?.name ?? '';
      if (generatedFromFiles(kustomizations, name)) continue;
      const field = Object.keys(secret.stringData ?? {}).length ? 'stringData' : 'data';
      const keys = Object.keys(secret[field] ?? {});
      if (keys.length === 0) continue;
      yield {
        subject: secret,
        path: [field, keys[0] ?? ''],
        messageId: 'plaintext',
        data: {
          keys: keys.join(', '),
          field,
          file: model.locate(secret)?.file ?? 'the manifest',
          nsFlag: namespaceFlag(secret.metadata?.namespace ?? ''),
        },
        evidence: [`type: ${secret.type ?? 'Opaque'}`, `${field} keys: ${keys.join(', ')} (values not shown)`],
      };
    }
  },
});
