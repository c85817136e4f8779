import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildChains } from '../src/engine/chains.js';
import type { ChainNode } from '../src/engine/chains.js';
import { defineRule } from '../src/engine/define-rule.js';
import type { Finding, Rule } from '../src/engine/types.js';
import { displayName } from '../src/model/object-ref.js';
import { rules } from '../src/rules/index.js';
import { analyze } from '../src/scan.js';
import { readFixture } from '../src/sources/fixture.js';
import { Redactor } from '../src/sources/redact.js';

// A small AKS cluster running shop, plus a full staging copy (shop-staging) installed on
// the same three nodes. shop's postgres-0 is Pending for memory; the Helm upgrade that
// waited for it failed; the nightly report hits its backoff limit.
const fixture = fileURLToPath(new URL('fixtures/capacity-cluster.json', import.meta.url));
const now = new Date('2026-11-20T12:00:00Z');

function scan(withRules: readonly Rule[], options: Record<string, unknown> = {}): Finding[] {
  const result = analyze(readFixture(fixture, new Redactor()), { source: { type: 'snapshot', name: fixture }, modelSource: 'cluster', now, rules: withRules, options });
  expect(result.notes).toEqual([]);
  return [...result.findings];
}

const label = (f: Finding): string => `${f.rule} ${displayName(f.object)}`;
const causesOf = (all: readonly Finding[], finding: Finding): string[] => all.filter((f) => finding.causedBy.includes(f.id)).map(label).sort();

/**
 * The contract pod-unschedulable (built on the rules-workloads branch) keeps: a finding on
 * the Pending pod's workload, caused by the workloads whose pods hold reservations on the
 * nodes it could use, each named as a copy (`rules: ['duplicate-workload']`: its
 * duplicate-workload finding, not its other findings, explains the reservation). Stated
 * here so the duplicate-workload link is tested without the real rule's arithmetic.
 */
const unschedulableContract = defineRule({
  id: 'pod-unschedulable',
  meta: { title: 'contract', description: 'contract', category: 'pods', severity: 'critical', sources: ['cluster'] },
  messages: { pending: '{{name}} is Pending' },
  runbook: { symptoms: '', rootCause: '', diagnosis: [], fix: [], prevention: '' },
  *detect(model) {
    for (const pod of model.list('Pod')) {
      if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) continue;
      if (!model.eventsFor(pod).some((e) => e.reason === 'FailedScheduling' && /Insufficient/.test(e.message ?? ''))) continue;
      const holders = model.list('Node').filter((n) => !n.spec?.taints?.length).flatMap((n) => model.nodeAllocation(n).pods).map((p) => model.rootOwner(p));
      yield { subject: model.rootOwner(pod), messageId: 'pending', causedBy: [...new Set(holders)].map((object) => ({ object, rules: ['duplicate-workload'] })) };
    }
  },
});

describe('capacity chains on a cluster with a staging copy', () => {
  const ours = rules.filter((r) => r.id !== 'pod-unschedulable');

  it('finds the copies, the failed release and the failing CronJob', () => {
    const findings = scan(ours, { nodeCost: 70 });
    const ids = findings.map(label);
    expect(ids).toEqual(expect.arrayContaining([
      'duplicate-workload shop-staging/deployment/api',
      'duplicate-workload shop-staging/deployment/frontend',
      'duplicate-workload shop-staging/statefulset/postgres',
      'helm-release-failed shop/secret/sh.helm.release.v1.shop.v7',
      'cronjob-problem shop/cronjob/nightly-report',
    ]));
    // shop's own deployments are not copies (pdb-problem's info notes on them aside).
    expect(findings.filter((f) => f.severity !== 'info').map(label).filter((id) => id.includes(' shop/deployment/'))).toEqual([]);
    const api = findings.find((f) => label(f) === 'duplicate-workload shop-staging/deployment/api');
    expect(api?.message).toContain('without the copies shop/pod/postgres-0 would fit');
    expect(api?.evidence.join('\n')).toContain('aks-nodepool1-41633911-vmss000000: 1882Mi free + 1792Mi held by the copies = 3674Mi ≥ 2Gi');
    expect(api?.evidence.join('\n')).toContain('→ 1 node(s) × 70/month = 70/month');
  });

  it('makes duplicate-workload the root cause of pod-unschedulable, and that the cause of the failed release', () => {
    const findings = scan([...ours, unschedulableContract]);
    const pending = findings.find((f) => f.rule === 'pod-unschedulable');
    expect(pending && label(pending)).toBe('pod-unschedulable shop/statefulset/postgres');
    // Only the copies' duplicate-workload findings: not the staging api's crash-loop, nor shop's own workloads' notes.
    expect(causesOf(findings, pending as Finding)).toEqual([
      'duplicate-workload shop-staging/deployment/api',
      'duplicate-workload shop-staging/deployment/frontend',
      'duplicate-workload shop-staging/statefulset/postgres',
    ]);
    const release = findings.find((f) => f.rule === 'helm-release-failed') as Finding;
    expect(causesOf(findings, release)).toEqual(['pod-unschedulable shop/statefulset/postgres']);

    const chains = buildChains(findings);
    const path = (node: ChainNode): string[][] => node.effects.length === 0
      ? [[label(node.finding)]]
      : node.effects.flatMap((effect) => path(effect).map((rest) => [label(node.finding), ...rest]));
    expect(chains.flatMap(path)).toContainEqual([
      'duplicate-workload shop-staging/deployment/api',
      'pod-unschedulable shop/statefulset/postgres',
      'helm-release-failed shop/secret/sh.helm.release.v1.shop.v7',
    ]);
  });

  // Runs once the real pod-unschedulable is merged into the registry.
  const real = rules.find((r) => r.id === 'pod-unschedulable');
  it.runIf(real !== undefined)('holds with the registered pod-unschedulable rule', () => {
    const findings = scan(rules);
    const pending = findings.find((f) => f.rule === 'pod-unschedulable' && f.object.namespace === 'shop');
    expect(pending).toBeDefined();
    expect(causesOf(findings, pending as Finding)).toEqual(expect.arrayContaining([
      'duplicate-workload shop-staging/deployment/api',
      'duplicate-workload shop-staging/statefulset/postgres',
    ]));
  });
});
