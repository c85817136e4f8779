import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import { cachedIn } from '../../model/collections.js';
import type { Container, KubeObject } from '../../model/k8s.js';
import type { FieldPath } from '../../model/source-location.js';

/** Where an environment variable's value comes from. */
export type EnvOrigin =
  | { readonly type: 'literal' }
  | { readonly type: 'Secret' | 'ConfigMap'; readonly name: string; readonly key: string; readonly via: 'env' | 'envFrom' }
  | { readonly type: 'field' };

export interface ResolvedEnvVar {
  readonly name: string;
  /**
   * The value the container sees, when the model knows it: the literal (secret-looking
   * literals are redaction markers), or the referenced ConfigMap/Secret key's value (Secret
   * values are always markers). Absent when the referenced object or key is not in the model.
   */
  readonly value?: string;
  readonly origin: EnvOrigin;
  /** The field that sets it, inside the template's owner. */
  readonly path: FieldPath;
}

export interface ContainerEnv {
  readonly owner: KubeObject;
  readonly namespace: string;
  readonly container: string;
  readonly template: PodTemplateOwner;
  /** Effective variables by name: `env` overrides `envFrom`, later entries override earlier ones. */
  readonly vars: ReadonlyMap<string, ResolvedEnvVar>;
}

/** `Secret shop/api-auth key BETTER_AUTH_SECRET`, `literal value`: where a value comes from, for evidence. */
export function describeOrigin(origin: EnvOrigin): string {
  switch (origin.type) {
    case 'literal': return 'a literal value';
    case 'field': return 'a field reference';
    default: return `${origin.type} ${origin.name} key ${origin.key}${origin.via === 'envFrom' ? ' (envFrom)' : ''}`;
  }
}

const resolved = new WeakMap<ClusterModel, readonly ContainerEnv[]>();

/** The resolved environment of every container of every pod template in the model (computed once per model). */
export function environments(model: ClusterModel): readonly ContainerEnv[] {
  return cachedIn(resolved, model, resolveEnvironments);
}

function resolveEnvironments(model: ClusterModel): ContainerEnv[] {
  return model.podTemplates().flatMap((template) => {
    const spec = template.template.spec;
    const specPath = [...template.path, 'spec'];
    const groups = [['containers', spec?.containers], ['initContainers', spec?.initContainers]] as const;
    return groups.flatMap(([group, containers]) => (containers ?? []).map((container, index) => ({
      owner: template.owner,
      namespace: template.namespace,
      container: container.name ?? '',
      template,
      vars: resolveContainerEnv(model, template.namespace, container, [...specPath, group, index]),
    })));
  });
}

const literalOrigin: EnvOrigin = { type: 'literal' };
const fieldOrigin: EnvOrigin = { type: 'field' };

/** A resolved variable; its field path is only built when a finding asks for it. */
class EnvVar implements ResolvedEnvVar {
  readonly value?: string;

  constructor(
    readonly name: string,
    value: string | undefined,
    readonly origin: EnvOrigin,
    private readonly containerPath: FieldPath,
    private readonly list: 'env' | 'envFrom',
    private readonly index: number,
    private readonly field: 'value' | 'valueFrom' | undefined,
  ) {
    if (value !== undefined) this.value = value;
  }

  get path(): FieldPath {
    return this.field === undefined ? [...this.containerPath, this.list, this.index] : [...this.containerPath, this.list, this.index, this.field];
  }
}

/** Resolves one container's env and envFrom against the Secrets and ConfigMaps of its namespace. */
export function resolveContainerEnv(model: ClusterModel, namespace: string, container: Container, containerPath: FieldPath): Map<string, ResolvedEnvVar> {
  const vars = new Map<string, ResolvedEnvVar>();
  const envFrom = container.envFrom ?? [];
  for (let index = 0; index < envFrom.length; index++) {
    const source = envFrom[index];
    const ref = source?.secretRef ? { type: 'Secret' as const, name: source.secretRef.name } : source?.configMapRef ? { type: 'ConfigMap' as const, name: source.configMapRef.name } : undefined;
    if (!ref?.name) continue;
    const data = configData(model, ref.type, namespace, ref.name);
    for (const [key, value] of Object.entries(data ?? {})) {
      const name = `${source?.prefix ?? ''}${key}`;
      vars.set(name, new EnvVar(name, value, { type: ref.type, name: ref.name, key, via: 'envFrom' }, containerPath, 'envFrom', index, undefined));
    }
  }
  const env = container.env ?? [];
  for (let index = 0; index < env.length; index++) {
    const variable = env[index];
    const name = variable?.name;
    if (!variable || !name) continue;
    const valueFrom = variable.valueFrom;
    if (!valueFrom) {
      vars.set(name, new EnvVar(name, variable.value ?? '', literalOrigin, containerPath, 'env', index, 'value'));
      continue;
    }
    const secret = valueFrom.secretKeyRef;
    const ref = secret ? { type: 'Secret' as const, ...secret } : valueFrom.configMapKeyRef ? { type: 'ConfigMap' as const, ...valueFrom.configMapKeyRef } : undefined;
    if (ref) {
      if (!ref.name || !ref.key) continue;
      const value = configData(model, ref.type, namespace, ref.name)?.[ref.key];
      vars.set(name, new EnvVar(name, value, { type: ref.type, name: ref.name, key: ref.key, via: 'env' }, containerPath, 'env', index, 'valueFrom'));
    } else {
      vars.set(name, new EnvVar(name, undefined, fieldOrigin, containerPath, 'env', index, 'valueFrom'));
    }
  }
  return vars;
}

/** The data of a Secret (markers) or ConfigMap, `data` and `stringData` merged; undefined when absent. */
function configData(model: ClusterModel, kind: 'Secret' | 'ConfigMap', namespace: string, name: string): Readonly<Record<string, string>> | undefined {
  if (kind === 'Secret') {
    const secret = model.get('Secret', namespace, name);
    return secret ? { ...secret.data, ...secret.stringData } : undefined;
  }
  return model.get('ConfigMap', namespace, name)?.data;
}
