import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import type { KubeObject, LabelSelector } from '../../model/k8s.js';
import { isEmptySelector } from '../../model/labels.js';
import { desiredReplicas, namespaceFlag, ownerName, templateIndex, templatesSelectedBy } from '../support/template-containers.js';

type Cause = 'no-pdb' | 'blocks-all-disruptions' | 'selects-nothing';

interface PodDisruptionBudget extends KubeObject {
  readonly spec?: { readonly selector?: LabelSelector; readonly minAvailable?: number | string; readonly maxUnavailable?: number | string };
}

/** Pods a PDB protects, as the templates of the workloads whose pod labels it selects. */
function protectedTemplates(model: ClusterModel, pdb: PodDisruptionBudget): PodTemplateOwner[] {
  const namespace = pdb.metadata?.namespace ?? '';
  const selector = pdb.spec?.selector;
  if (isEmptySelector(selector)) return [];
  return templatesSelectedBy(model, selector, namespace);
}

function isZero(value: number | string | undefined): boolean {
  return value === 0 || value === '0' || value === '0%';
}

export default defineRule<'noPdb' | 'blocks' | 'nothing', Cause>({
  id: 'pdb-problem',
  meta: {
    title: 'PodDisruptionBudget missing or blocking',
    description: 'A multi-replica workload has no PodDisruptionBudget, or a PodDisruptionBudget allows no disruption at all (node drains hang) or selects no pods.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    noPdb: '{{workload}} runs {{replicas}} replicas but no PodDisruptionBudget protects them: a node drain may take them all down at once',
    blocks: 'PodDisruptionBudget {{name}} allows no voluntary disruption ({{setting}}{{replicasNote}}): node drains and cluster upgrades hang on it',
    nothing: 'PodDisruptionBudget {{name}} selects no pods ({{selector}})',
  },
  runbook: {
    symptoms: '`kubectl drain` loops on `Cannot evict pod as it would violate the pod\'s disruption budget`; node pool upgrades stall; or every replica goes down together during maintenance.',
    rootCause: 'A PodDisruptionBudget decides how many pods of an application may be evicted at once.',
    diagnosis: [
      { description: 'Allowed disruptions per budget', command: 'kubectl get pdb -A' },
      { description: 'The budget and what it selects', command: 'kubectl {{nsFlag}}describe pdb {{name}}' },
    ],
    fix: [{ description: 'Allow at least one disruption: maxUnavailable: 1' }],
    prevention: 'For every Deployment with two or more replicas, ship a PodDisruptionBudget with maxUnavailable: 1 (or minAvailable below the replica count) whose selector equals the workload\'s.',
    causes: {
      'no-pdb': {
        title: 'No PodDisruptionBudget',
        rootCause: 'Without a budget, a drain or an autoscaler scale-down may evict all replicas of {{workload}} at the same time.',
        fix: [{ description: 'Add a PodDisruptionBudget for {{workload}}', command: 'kubectl {{nsFlag}}create poddisruptionbudget {{workloadName}} --selector={{selector}} --max-unavailable=1', mutates: true }],
      },
      'blocks-all-disruptions': {
        title: 'Budget allows no disruption',
        rootCause: 'With {{setting}}{{replicasNote}} the eviction API refuses every eviction, so `kubectl drain`, node upgrades and the cluster autoscaler wait forever.',
        fix: [{ description: 'Allow one pod at a time to be evicted (in {{file}})', command: 'kubectl {{nsFlag}}patch pdb {{name}} --type=merge -p \'{"spec":{"minAvailable":null,"maxUnavailable":1}}\'', mutates: true }],
      },
      'selects-nothing': {
        title: 'Budget selects no pods',
        rootCause: 'The selector matches no workload\'s pod labels, so the budget protects nothing (often a renamed app label).',
        fix: [{ description: 'Make spec.selector equal the workload\'s selector (in {{file}})' }],
      },
    },
  },
  *detect(model) {
    const budgets = model.list('PodDisruptionBudget') as readonly PodDisruptionBudget[];
    const covered = new Set<KubeObject>();
    for (const pdb of budgets) {
      const templates = protectedTemplates(model, pdb);
      for (const t of templates) covered.add(t.owner);
      const selector = pdb.spec?.selector ?? {};
      const data = {
        file: model.locate(pdb)?.file ?? 'the manifest',
        nsFlag: namespaceFlag(pdb.metadata?.namespace ?? ''),
        selector: Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || JSON.stringify(selector),
      };
      const pods = model.podsSelectedBy(selector, pdb.metadata?.namespace ?? '');
      if (templates.length === 0 && pods.length === 0 && !isEmptySelector(selector)) {
        // On a cluster the workload may live elsewhere; only a set with workloads in this namespace can tell.
        if (templateIndex(model).templatesByNamespace.has(pdb.metadata?.namespace ?? '')) {
          yield { subject: pdb, path: ['spec', 'selector'], messageId: 'nothing', cause: 'selects-nothing', data, evidence: [`spec.selector: ${data.selector}`] };
        }
        continue;
      }
      const replicas = templates.map((t) => desiredReplicas(t.owner)).filter((r): r is number => r !== undefined);
      const total = replicas.length ? replicas.reduce((a, b) => a + b, 0) : undefined;
      const { minAvailable, maxUnavailable } = pdb.spec ?? {};
      let setting: string | undefined;
      let field = 'maxUnavailable';
      if (isZero(maxUnavailable)) setting = `maxUnavailable: ${String(maxUnavailable)}`;
      else if (minAvailable === '100%') [setting, field] = ['minAvailable: 100%', 'minAvailable'];
      else if (typeof minAvailable === 'number' && total !== undefined && minAvailable >= total) [setting, field] = [`minAvailable: ${minAvailable}`, 'minAvailable'];
      if (!setting) continue;
      yield {
        subject: pdb,
        path: ['spec', field],
        messageId: 'blocks',
        cause: 'blocks-all-disruptions',
        data: { ...data, setting, replicasNote: total === undefined ? '' : ` for ${total} replica${total === 1 ? '' : 's'}` },
        evidence: [setting, ...templates.map((t) => `${ownerName(t.owner)}: replicas ${String(desiredReplicas(t.owner) ?? '?')}`)],
      };
    }
    for (const template of templateIndex(model).templates) {
      const replicas = desiredReplicas(template.owner);
      if (replicas === undefined || replicas < 2 || covered.has(template.owner)) continue;
      if (template.owner.kind === 'ReplicaSet' && template.owner.metadata?.ownerReferences?.length) continue;
      const labels = (template.owner as { spec?: { selector?: LabelSelector } }).spec?.selector?.matchLabels ?? template.template.metadata?.labels ?? {};
      yield {
        subject: template.owner,
        path: ['spec', 'replicas'],
        messageId: 'noPdb',
        cause: 'no-pdb',
        severity: 'info',
        data: {
          workload: ownerName(template.owner),
          workloadName: template.owner.metadata?.name ?? '',
          replicas,
          selector: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','),
          file: model.locate(template.owner)?.file ?? 'the manifest',
          nsFlag: namespaceFlag(template.namespace),
        },
        evidence: [`replicas: ${replicas}`, `PodDisruptionBudgets in the namespace: ${budgets.filter((b) => (b.metadata?.namespace ?? '') === template.namespace).length}`],
      };
    }
  },
});
