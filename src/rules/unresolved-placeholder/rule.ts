import { defineRule } from '../../engine/define-rule.js';
import { pushTo } from '../../model/collections.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject } from '../../model/k8s.js';
import { kubectlName, refOf } from '../../model/object-ref.js';
import type { FieldPath } from '../../model/source-location.js';
import { findPlaceholder, unexpandedReferences } from '../support/placeholders.js';
import type { Placeholder } from '../support/placeholders.js';

type Cause = 'workload-identity' | 'env' | 'image' | 'annotation' | 'config-map';

interface Hit {
  readonly subject: KubeObject;
  readonly cause: Cause;
  readonly field: string;
  readonly path: FieldPath;
  readonly placeholder: Placeholder;
}

/** Annotations whose values are templates or scripts by design. */
const templatedAnnotation = /template|snippet|kubectl\.kubernetes\.io\/|meta\.helm\.sh\//i;
/** Workload-identity annotations: a placeholder here breaks every token the pod asks for. */
const identityAnnotation = /^(azure\.workload\.identity\/(client-id|tenant-id)|eks\.amazonaws\.com\/role-arn|iam\.gke\.io\/gcp-service-account)$/;
/** ConfigMap keys that hold templates rendered by the application itself. */
const templateKey = /\.(tpl|tmpl|gotmpl|j2|jinja2?|mustache|hbs)$/i;

function annotationHits(subject: KubeObject, annotations: Readonly<Record<string, string>> | undefined, basePath: FieldPath, prefix: string): Hit[] {
  const hits: Hit[] = [];
  for (const key in annotations) {
    const value = annotations[key];
    if (typeof value !== 'string' || templatedAnnotation.test(key)) continue;
    const placeholder = findPlaceholder(value, { freeText: value.includes('\n') || value.includes(';') });
    if (!placeholder) continue;
    const cause: Cause = subject.kind === 'ServiceAccount' && identityAnnotation.test(key) ? 'workload-identity' : 'annotation';
    hits.push({ subject, cause, field: `${prefix}annotations["${key}"]`, path: [...basePath, 'annotations', key], placeholder });
  }
  return hits;
}

function templateHits(model: ClusterModel): Hit[] {
  return model.podTemplates().flatMap(({ owner, template, path }) => {
    const hits: Hit[] = annotationHits(owner, owner.metadata?.annotations, ['metadata'], 'metadata.');
    if (path.length > 0) hits.push(...annotationHits(owner, template.metadata?.annotations, [...path, 'metadata'], 'spec.template.metadata.'));
    const specPath = [...path, 'spec'];
    const groups = [['containers', template.spec?.containers], ['initContainers', template.spec?.initContainers]] as const;
    for (const [group, containers] of groups) {
      (containers ?? []).forEach((container, ci) => {
        // Built for a hit only: most containers have none.
        const containerPath = (): FieldPath => [...specPath, group, ci];
        const label = (): string => `${group}[${container.name ?? ci}]`;
        const image = container.image ?? '';
        const imagePlaceholder = findPlaceholder(image);
        if (imagePlaceholder) hits.push({ subject: owner, cause: 'image', field: `${label()}.image`, path: [...containerPath(), 'image'], placeholder: imagePlaceholder });
        const defined = new Set<string>();
        for (const source of container.envFrom ?? []) {
          const data = source.configMapRef?.name ? model.get('ConfigMap', owner.metadata?.namespace, source.configMapRef.name)?.data
            : source.secretRef?.name ? model.get('Secret', owner.metadata?.namespace, source.secretRef.name)?.data : undefined;
          // Keys of an object the model does not hold are unknown: then no $(VAR) is flagged.
          if (data) for (const key of Object.keys(data)) defined.add(`${source.prefix ?? ''}${key}`);
          else defined.add('*');
        }
        (container.env ?? []).forEach((variable, ei) => {
          const value = variable.value;
          if (variable.name && value) {
            const placeholder = findPlaceholder(value)
              ?? (defined.has('*') ? undefined : unexpandedReferences(value, defined).map((text) => ({ text, kind: 'shell' as const }))[0]);
            if (placeholder) hits.push({ subject: owner, cause: 'env', field: `${label()}.env[${variable.name}]`, path: [...containerPath(), 'env', ei, 'value'], placeholder });
          }
          if (variable.name) defined.add(variable.name);
        });
      });
    }
    return hits;
  });
}

function configMapHits(model: ClusterModel): Hit[] {
  return model.list('ConfigMap').flatMap((configMap) => Object.entries(configMap.data ?? {}).flatMap(([key, value]) => {
    if (templateKey.test(key)) return [];
    const placeholder = findPlaceholder(value, { freeText: value.includes('\n') });
    return placeholder ? [{ subject: configMap, cause: 'config-map' as const, field: `data["${key}"]`, path: ['data', key], placeholder }] : [];
  }));
}

function describePlaceholder(placeholder: Placeholder): string {
  switch (placeholder.kind) {
    case 'helm': return 'an unrendered Helm/Go template expression';
    case 'shell': return 'a shell/envsubst variable nobody substituted';
    case 'angle': return 'a fill-in-the-blank marker';
    case 'marker': return 'a change-me marker';
  }
}

export default defineRule({
  id: 'unresolved-placeholder',
  meta: {
    title: 'Placeholder left in configuration',
    description: 'Template or placeholder text such as ${VAR}, an unrendered Helm expression, <CHANGE_ME> or REPLACE_ME left in env values, annotations, ConfigMaps or image names.',
    category: 'config',
    severity: 'critical',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    placeholder: '{{kubectlName}} has {{count}} unresolved placeholder(s): {{first}} in {{field}}',
  },
  runbook: {
    symptoms: 'The application receives the literal text `${VAR}`, `<CHANGE_ME>` or an unrendered Helm expression (`.Values.x` in double braces): logins to cloud identity fail with "application not found", URLs do not resolve, images cannot be pulled (InvalidImageName), an ExternalSecret never syncs.',
    rootCause: 'A deploy step that should have substituted values (envsubst, Helm, kustomize replacements, a CI variable) did not run or ran without the variable, so the placeholder was applied as it is.',
    diagnosis: [
      { description: 'Show the object as the cluster has it', command: 'kubectl -n {{namespace}} get {{kubectlName}} -o yaml' },
      { description: 'Find the placeholder in the manifests that produced it', command: 'grep -rnF \'{{first}}\' .' },
    ],
    fix: [
      { description: 'Put the real value in the manifest (or the variable in the pipeline) and apply again', command: 'kubectl -n {{namespace}} get {{kubectlName}} -o yaml | grep -nF \'{{first}}\'' },
    ],
    prevention: 'Fail the pipeline when substitution leaves anything behind (`envsubst` with a variable list and a `grep -E \'\\$\\{|\\{\\{|CHANGE_?ME\'` check on the rendered output, `helm template` in CI) and run `kubetriage lint` on the rendered manifests.',
    causes: {
      'workload-identity': {
        title: 'Workload-identity annotation holds a placeholder',
        rootCause: 'The ServiceAccount {{name}} carries the identity annotation {{field}} = {{first}}: pods (and secret stores) using it ask the cloud for a token of an identity that does not exist, so every token request fails.',
        fix: [
          { description: 'Look up the managed identity\'s client id', command: 'az identity show --name <identity-name> --resource-group <resource-group> --query clientId -o tsv' },
          { description: 'Annotate the ServiceAccount with the real value', command: 'kubectl -n {{namespace}} annotate serviceaccount {{name}} {{annotationKey}}=<client-id> --overwrite', mutates: true },
          { description: 'Restart the workloads that use it so they get a new token', command: 'kubectl -n {{namespace}} rollout restart deployment -l azure.workload.identity/use=true', mutates: true },
        ],
      },
      env: {
        title: 'Environment variable holds a placeholder',
        rootCause: 'The container receives {{field}} = {{first}} literally ({{what}}); Kubernetes never expands `${VAR}` or templates in env values.',
        fix: [
          { description: 'Set the real value', command: 'kubectl -n {{namespace}} set env {{kubectlName}} {{envName}}=<value>', mutates: true },
        ],
      },
      image: {
        title: 'Image name holds a placeholder',
        rootCause: 'The image reference {{first}} was never filled in ({{what}}); the kubelet cannot pull it (InvalidImageName).',
        fix: [
          { description: 'Set the real image', command: 'kubectl -n {{namespace}} set image {{kubectlName}} {{container}}=<registry>/<repository>:<tag>', mutates: true },
        ],
      },
      annotation: {
        title: 'Annotation holds a placeholder',
        rootCause: 'The annotation {{field}} is {{first}} ({{what}}); the controller that reads it gets the placeholder.',
        fix: [
          { description: 'Set the real value', command: 'kubectl -n {{namespace}} annotate {{kubectlName}} {{annotationKey}}=<value> --overwrite', mutates: true },
        ],
      },
      'config-map': {
        title: 'ConfigMap value holds a placeholder',
        rootCause: 'ConfigMap {{name}} holds {{first}} in {{field}} ({{what}}); every workload that reads it gets the placeholder.',
        fix: [
          { description: 'Edit the value, then restart the workloads that read it', command: 'kubectl -n {{namespace}} edit configmap {{name}}', mutates: true },
        ],
      },
    },
  },
  *detect(model) {
    const hits = [...templateHits(model), ...model.list('ServiceAccount').flatMap((sa) => annotationHits(sa, sa.metadata?.annotations, ['metadata'], 'metadata.')),
      ...[...model.list('Service'), ...model.list('Ingress')].flatMap((o) => annotationHits(o, o.metadata?.annotations, ['metadata'], 'metadata.')),
      ...configMapHits(model)];
    // A ConfigMap nothing reads cannot break anything yet: a warning, not critical.
    const readConfigMaps = new Set(model.podTemplates().flatMap((t) => model.configReferences(t.template.spec)
      .filter((r) => r.kind === 'ConfigMap').map((r) => `${t.namespace}/${r.name}`)));
    const groups = new Map<string, Hit[]>();
    for (const hit of hits) {
      const id = `${hit.subject.kind ?? ''}/${hit.subject.metadata?.namespace ?? ''}/${hit.subject.metadata?.name ?? ''}/${hit.cause}`;
      pushTo(groups, id, hit);
    }
    for (const group of groups.values()) {
      const first = group[0];
      if (!first) continue;
      const annotationKey = /annotations\["([^"]+)"\]/.exec(first.field)?.[1] ?? '';
      yield {
        subject: first.subject,
        messageId: 'placeholder',
        cause: first.cause,
        key: first.cause,
        path: first.path,
        ...(first.cause === 'config-map' && !readConfigMaps.has(`${first.subject.metadata?.namespace ?? ''}/${first.subject.metadata?.name ?? ''}`) ? { severity: 'warning' as const } : {}),
        data: {
          count: group.length,
          first: first.placeholder.text,
          field: first.field,
          what: describePlaceholder(first.placeholder),
          annotationKey,
          envName: /env\[([^\]]+)\]/.exec(first.field)?.[1] ?? '',
          container: /^(?:init)?[cC]ontainers\[([^\]]+)\]/.exec(first.field)?.[1] ?? '',
        },
        evidence: group.map((hit) => `${kubectlName(refOf(hit.subject))} ${hit.field}: ${hit.placeholder.text}`),
      };
    }
  },
});
