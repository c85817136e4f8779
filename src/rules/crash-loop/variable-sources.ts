import type { FixStep } from '../../engine/types.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Container, KubeObject } from '../../model/k8s.js';
import { externalSecretFor } from '../missing-config-reference/references.js';

/**
 * Where a missing variable can come from: a Secret or ConfigMap of the namespace that has
 * the key, else another workload that reads it (usually the same app in another namespace).
 * Names only; values are never read.
 */
export function variableSources(model: ClusterModel, variable: string, namespace: string, workload: string, container: string): FixStep[] {
  for (const kind of ['Secret', 'ConfigMap'] as const) {
    const holder = model.list(kind, namespace).find((o) => Object.hasOwn(o.data ?? {}, variable));
    if (holder?.metadata?.name) {
      const ref = `${kind.toLowerCase()}/${holder.metadata.name}`;
      return [{ description: `${kind} ${holder.metadata.name} in ${namespace} has the key ${variable}: give it to the container`, command: `kubectl -n ${namespace} set env ${workload} -c ${container} --from=${ref} --keys=${variable}`, mutates: true }];
    }
  }
  for (const { owner, namespace: elsewhere, template } of model.podTemplates()) {
    for (const c of template.spec?.containers ?? []) {
      const env = (c.env ?? []).find((e) => e.name === variable && (e.valueFrom?.secretKeyRef?.name ?? e.valueFrom?.configMapKeyRef?.name));
      const secret = env?.valueFrom?.secretKeyRef;
      const configMap = env?.valueFrom?.configMapKeyRef;
      const source = secret ? { kind: 'secret', name: secret.name ?? '', key: secret.key ?? variable } : configMap ? { kind: 'configmap', name: configMap.name ?? '', key: configMap.key ?? variable } : undefined;
      if (!source || elsewhere === namespace) continue;
      const where = `${(owner.kind ?? '').toLowerCase()}/${owner.metadata?.name ?? ''} in ${elsewhere}`;
      return [
        {
          description: `${where} reads ${variable} from ${source.kind} ${source.name} (key ${source.key}); create the ${source.kind} in ${namespace} with its own value`,
          command: source.kind === 'secret'
            ? `kubectl -n ${namespace} create secret generic ${source.name} --from-literal=${source.key}=<value>`
            : `kubectl -n ${namespace} create configmap ${source.name} --from-literal=${source.key}=<value>`,
          mutates: true,
        },
        { description: `Give it to the container as ${variable}`, command: `kubectl -n ${namespace} set env ${workload} -c ${container} --from=${source.kind}/${source.name} --keys=${source.key}`, mutates: true },
      ];
    }
  }
  return [];
}

/**
 * The Secrets/ConfigMaps that should give a container the variable but do not exist (an
 * optional reference, or envFrom). A Secret an ExternalSecret should produce names that
 * ExternalSecret as the cause.
 */
export function missingVariableSources(model: ClusterModel, container: Container | undefined, variable: string, namespace: string): { evidence: string[]; causes: KubeObject[] } {
  const evidence: string[] = [];
  const causes: KubeObject[] = [];
  const sources: { kind: 'Secret' | 'ConfigMap'; name: string; how: string }[] = [];
  for (const env of container?.env ?? []) {
    if (env.name !== variable) continue;
    const secret = env.valueFrom?.secretKeyRef?.name;
    const configMap = env.valueFrom?.configMapKeyRef?.name;
    if (secret) sources.push({ kind: 'Secret', name: secret, how: `env ${variable}` });
    if (configMap) sources.push({ kind: 'ConfigMap', name: configMap, how: `env ${variable}` });
  }
  for (const from of container?.envFrom ?? []) {
    if (from.secretRef?.name) sources.push({ kind: 'Secret', name: from.secretRef.name, how: 'envFrom' });
    if (from.configMapRef?.name) sources.push({ kind: 'ConfigMap', name: from.configMapRef.name, how: 'envFrom' });
  }
  for (const source of sources) {
    if (model.get(source.kind, namespace, source.name)) continue;
    evidence.push(`${source.how} comes from ${source.kind} ${source.name}, which does not exist`);
    const external = source.kind === 'Secret' ? externalSecretFor(model, namespace, source.name) : undefined;
    if (external) {
      evidence.push(`Secret ${source.name} is produced by ExternalSecret ${external.metadata?.name ?? ''}, which has not created it`);
      causes.push(external);
    }
  }
  return { evidence, causes };
}
