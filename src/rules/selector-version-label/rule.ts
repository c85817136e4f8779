import { defineRule } from '../../engine/define-rule.js';
import type { KubeObject, LabelSelector, Workload } from '../../model/k8s.js';
import { namespaceFlag, templateIndex } from '../support/template-containers.js';

type Cause = 'service-selector' | 'workload-selector' | 'kustomize-common-labels';

const versionKeys = new Set(['version', 'app.kubernetes.io/version', 'helm.sh/chart', 'chart', 'pod-template-hash', 'controller-revision-hash', 'image-tag', 'tag', 'release-version']);
/** 1.2, v1.2.3, 0.4.1-rc.1, 2024.11.03: values that change with every release. */
const versionValue = /^v?\d+\.\d+(\.\d+)?([-+.][0-9A-Za-z.-]+)?$/;
/** `myapp-1.4.2` as Helm writes it into helm.sh/chart. */
const chartValue = /^[a-z0-9-]+-v?\d+\.\d+\.\d+/;

/** Why a label in a selector changes with every release, or undefined when it does not. */
export function versionLike(key: string, value: string): string | undefined {
  const bare = key.includes('/') ? key.slice(key.lastIndexOf('/') + 1) : key;
  if (versionKeys.has(key) || versionKeys.has(bare)) return `the key ${key} names a version`;
  if (versionValue.test(value)) return `the value ${value} is a version`;
  if (key === 'helm.sh/chart' || chartValue.test(value) && /chart/.test(key)) return `the value ${value} carries the chart version`;
  return undefined;
}

interface KustomizationSpec {
  readonly commonLabels?: Readonly<Record<string, unknown>>;
}

export default defineRule<'service' | 'workload' | 'commonLabels', Cause>({
  id: 'selector-version-label',
  meta: {
    title: 'Version label inside a selector',
    description: 'A Service or workload selector holds a label that changes with every release (version, chart, image tag), or a kustomization uses the deprecated commonLabels, which writes its labels into every selector.',
    category: 'networking',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    service: 'Service {{name}} selects pods by {{label}} ({{why}}): the next release changes the label and the Service loses every endpoint',
    workload: '{{kind}} {{name}} selects its pods by {{label}} ({{why}}): the selector is immutable, so the next release cannot be applied',
    commonLabels: 'kustomization {{name}} uses the deprecated commonLabels ({{labels}}), which kustomize also writes into every Service and workload selector',
  },
  runbook: {
    symptoms: 'After a release the Service has no endpoints (the pods carry the new version, the selector the old one), or `kubectl apply` fails with `field is immutable` on spec.selector.',
    rootCause: 'Selectors must only hold labels that identify the application, never labels that change per release.',
    diagnosis: [
      { description: 'Compare the selector with the labels of the pods', command: 'kubectl {{nsFlag}}get {{kind}} {{name}} -o jsonpath={.spec.selector}' },
      { description: 'Labels the pods carry', command: 'kubectl {{nsFlag}}get pods --show-labels' },
    ],
    fix: [{ description: 'Keep only stable labels (app.kubernetes.io/name, app.kubernetes.io/instance) in the selector' }],
    prevention: 'Put app.kubernetes.io/version and helm.sh/chart on metadata.labels and the pod template only; select by app.kubernetes.io/name and app.kubernetes.io/instance. In kustomize use `labels:` with `includeSelectors: false`.',
    causes: {
      'service-selector': {
        title: 'Service selector holds a version label',
        rootCause: 'The Service selects by {{label}}; pods of the next release carry another value, so the Service selects none of them and traffic stops the moment the rollout finishes.',
        fix: [
          { description: 'Remove {{key}} from the Service selector in the manifest ({{file}}), or now in the cluster', command: 'kubectl {{nsFlag}}patch service {{name}} --type=json -p \'[{"op":"remove","path":"/spec/selector/{{jsonPointerKey}}"}]\'', mutates: true },
        ],
      },
      'workload-selector': {
        title: 'Workload selector holds a version label',
        rootCause: 'spec.selector of a {{kind}} is immutable; with {{label}} in it, every release that bumps the label is rejected (`field is immutable`) or needs the workload deleted and recreated.',
        fix: [
          { description: 'Remove {{key}} from spec.selector.matchLabels (keep it on the pod template labels); the workload must be recreated once because the selector is immutable', command: 'kubectl {{nsFlag}}delete {{kubectlName}} --cascade=orphan && kubectl apply -f {{file}}', mutates: true },
        ],
      },
      'kustomize-common-labels': {
        title: 'kustomize commonLabels',
        rootCause: 'commonLabels is deprecated because kustomize adds its labels to every selector too; a label that later changes (a version) breaks Services and makes workload selectors immutable-changed.',
        fix: [
          { description: 'Replace commonLabels in {{file}} with `labels:` that leave selectors alone: labels: [{ pairs: {…the same labels…}, includeSelectors: false }]' },
          { description: 'Or let kustomize rewrite the field (it keeps selectors; check the result)', command: 'kustomize edit fix' },
        ],
      },
    },
  },
  *detect(model) {
    for (const service of model.list('Service')) {
      for (const [key, value] of Object.entries(service.spec?.selector ?? {})) {
        const why = versionLike(key, value);
        if (!why) continue;
        yield {
          subject: service,
          path: ['spec', 'selector', key],
          messageId: 'service',
          cause: 'service-selector',
          key,
          data: labelData(model, service, key, value, why),
          evidence: [`spec.selector: ${Object.entries(service.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}`],
        };
      }
    }
    for (const template of templateIndex(model).templates) {
      const owner = template.owner;
      if (owner.kind === 'Pod' || owner.kind === 'Job' || owner.kind === 'CronJob') continue;
      // On a cluster, Deployments own their ReplicaSets' selectors (with pod-template-hash by design).
      if (owner.kind === 'ReplicaSet' && owner.metadata?.ownerReferences?.length) continue;
      const selector: LabelSelector | undefined = (owner as Workload).spec?.selector;
      for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
        const why = versionLike(key, value);
        if (!why) continue;
        yield {
          subject: owner,
          path: ['spec', 'selector', 'matchLabels', key],
          messageId: 'workload',
          cause: 'workload-selector',
          key,
          data: labelData(model, owner, key, value, why),
          evidence: [`spec.selector.matchLabels.${key}: ${value}`],
        };
      }
    }
    for (const kustomization of model.list('Kustomization')) {
      const labels = Object.entries((kustomization as KustomizationSpec).commonLabels ?? {});
      if (labels.length === 0) continue;
      const versioned = labels.filter(([key, value]) => versionLike(key, String(value)));
      yield {
        subject: kustomization,
        path: ['commonLabels'],
        messageId: 'commonLabels',
        cause: 'kustomize-common-labels',
        severity: versioned.length ? 'warning' : 'info',
        data: {
          labels: labels.map(([key, value]) => `${key}: ${String(value)}`).join(', '),
          file: model.locate(kustomization)?.file ?? 'kustomization.yaml',
          nsFlag: '',
        },
        evidence: versioned.map(([key, value]) => `commonLabels.${key}: ${String(value)} — ${versionLike(key, String(value)) ?? ''}; it ends up in every selector`),
      };
    }
  },
});

function labelData(model: { locate: (o: KubeObject) => { file: string } | undefined }, object: KubeObject, key: string, value: string, why: string): Record<string, string> {
  return {
    label: `${key}=${value}`,
    key,
    why,
    jsonPointerKey: key.replace(/~/g, '~0').replace(/\//g, '~1'),
    file: model.locate(object)?.file ?? `${(object.kind ?? '').toLowerCase()}.yaml`,
    nsFlag: namespaceFlag(object.metadata?.namespace ?? ''),
  };
}
